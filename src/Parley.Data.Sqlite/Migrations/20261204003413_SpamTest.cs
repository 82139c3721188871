using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpamTest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SpamTestAddress",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Token = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    TemplateId = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: true),
                    SendingDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    LastScore = table.Column<double>(type: "REAL", nullable: true),
                    LastReceivedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpamTestAddress", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpamTestMessage",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SpamTestAddressId = table.Column<long>(type: "INTEGER", nullable: false),
                    InboundMessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FromAddress = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ScoredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Score = table.Column<double>(type: "REAL", nullable: true),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpamTestMessage", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpamTestMessage_Inbound_InboundMessageId",
                        column: x => x.InboundMessageId,
                        principalTable: "Inbound",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SpamTestMessage_SpamTestAddress_SpamTestAddressId",
                        column: x => x.SpamTestAddressId,
                        principalTable: "SpamTestAddress",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SpamTestAddress_CreatedAt",
                table: "SpamTestAddress",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SpamTestAddress_Token",
                table: "SpamTestAddress",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SpamTestMessage_InboundMessageId",
                table: "SpamTestMessage",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_SpamTestMessage_ScoredAt",
                table: "SpamTestMessage",
                column: "ScoredAt");

            migrationBuilder.CreateIndex(
                name: "IX_SpamTestMessage_SpamTestAddressId_Id",
                table: "SpamTestMessage",
                columns: new[] { "SpamTestAddressId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpamTestMessage");

            migrationBuilder.DropTable(
                name: "SpamTestAddress");
        }
    }
}
