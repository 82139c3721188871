using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FetchAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AfterFetch",
                table: "FetchAccounts",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "FetchAccounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LastSuccessAt",
                table: "FetchAccounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastUid",
                table: "FetchAccounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MoveToFolder",
                table: "FetchAccounts",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UidValidity",
                table: "FetchAccounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ValidateCertificate",
                table: "FetchAccounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "FetchFailures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FetchAccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    RemoteId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    GaveUp = table.Column<bool>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    FirstAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FetchFailures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FetchFailures_FetchAccounts_FetchAccountId",
                        column: x => x.FetchAccountId,
                        principalTable: "FetchAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FetchFailures_FetchAccountId_RemoteId",
                table: "FetchFailures",
                columns: new[] { "FetchAccountId", "RemoteId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FetchFailures");

            migrationBuilder.DropColumn(
                name: "AfterFetch",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "ConsecutiveFailures",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "LastSuccessAt",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "LastUid",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "MoveToFolder",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "UidValidity",
                table: "FetchAccounts");

            migrationBuilder.DropColumn(
                name: "ValidateCertificate",
                table: "FetchAccounts");
        }
    }
}
