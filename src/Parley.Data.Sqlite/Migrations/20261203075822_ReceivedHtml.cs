using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReceivedHtml : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReceivedHtml",
                columns: table => new
                {
                    ChatterMessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Html = table.Column<string>(type: "TEXT", nullable: true),
                    HtmlWithRemote = table.Column<string>(type: "TEXT", nullable: true),
                    RemoteBlocked = table.Column<int>(type: "INTEGER", nullable: false),
                    WithheldBecause = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReceivedHtml", x => x.ChatterMessageId);
                    table.ForeignKey(
                        name: "FK_ReceivedHtml_Messages_ChatterMessageId",
                        column: x => x.ChatterMessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReceivedHtml");
        }
    }
}
