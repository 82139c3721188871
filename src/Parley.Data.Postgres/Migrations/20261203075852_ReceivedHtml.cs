using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
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
                    ChatterMessageId = table.Column<long>(type: "bigint", nullable: false),
                    Html = table.Column<string>(type: "text", nullable: true),
                    HtmlWithRemote = table.Column<string>(type: "text", nullable: true),
                    RemoteBlocked = table.Column<int>(type: "integer", nullable: false),
                    WithheldBecause = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
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
