using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EditedAt",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailSortKey",
                table: "Contacts",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "NameSortKey",
                table: "Contacts",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "OwnerUserId",
                table: "Contacts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeletedContacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimelineKept = table.Column<bool>(type: "INTEGER", nullable: false)
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
