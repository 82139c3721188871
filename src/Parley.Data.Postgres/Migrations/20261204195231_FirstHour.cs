using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FirstHour : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EditedAt",
                table: "Messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailSortKey",
                table: "Contacts",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "NameSortKey",
                table: "Contacts",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<long>(
                name: "OwnerUserId",
                table: "Contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeletedContacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    DeletedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeletedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TimelineKept = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletedContacts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_EmailSortKey",
                table: "Contacts",
                column: "EmailSortKey");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_NameSortKey",
                table: "Contacts",
                column: "NameSortKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletedContacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_EmailSortKey",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_NameSortKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "EditedAt",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "EmailSortKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "NameSortKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "OwnerUserId",
                table: "Contacts");
        }
    }
}
