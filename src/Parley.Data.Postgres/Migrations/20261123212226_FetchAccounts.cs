using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Parley.Data.Postgres.Migrations
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "FetchAccounts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LastSuccessAt",
                table: "FetchAccounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastUid",
                table: "FetchAccounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MoveToFolder",
                table: "FetchAccounts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UidValidity",
                table: "FetchAccounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ValidateCertificate",
                table: "FetchAccounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "FetchFailures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FetchAccountId = table.Column<long>(type: "bigint", nullable: false),
                    RemoteId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    GaveUp = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    FirstAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "bigint", nullable: false)
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
