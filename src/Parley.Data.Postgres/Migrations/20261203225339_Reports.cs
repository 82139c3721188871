using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    OrgName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ReportId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    IsOurs = table.Column<bool>(type: "boolean", nullable: false),
                    BeginAt = table.Column<long>(type: "bigint", nullable: true),
                    EndAt = table.Column<long>(type: "bigint", nullable: true),
                    Volume = table.Column<long>(type: "bigint", nullable: false),
                    Policy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Problem = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RawMimeId = table.Column<long>(type: "bigint", nullable: true),
                    InboundMessageId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reports_RawMimes_RawMimeId",
                        column: x => x.RawMimeId,
                        principalTable: "RawMimes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "DmarcReportRow",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReceivedReportId = table.Column<long>(type: "bigint", nullable: false),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    Reporter = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SourceIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Disposition = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DkimAligned = table.Column<bool>(type: "boolean", nullable: false),
                    SpfAligned = table.Column<bool>(type: "boolean", nullable: false),
                    DkimResult = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DkimSignatures = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    SpfResult = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SpfDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    HeaderFrom = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    EnvelopeFrom = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Reasons = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DmarcReportRow", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DmarcReportRow_Reports_ReceivedReportId",
                        column: x => x.ReceivedReportId,
                        principalTable: "Reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TlsReportFailureRow",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReceivedReportId = table.Column<long>(type: "bigint", nullable: false),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    ResultType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivingMx = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    ReceivingIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                    SendingIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    ReasonCode = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TlsReportFailureRow", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TlsReportFailureRow_Reports_ReceivedReportId",
                        column: x => x.ReceivedReportId,
                        principalTable: "Reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TlsReportPolicyRow",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReceivedReportId = table.Column<long>(type: "bigint", nullable: false),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "bigint", nullable: false),
                    Reporter = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PolicyType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Successful = table.Column<long>(type: "bigint", nullable: false),
                    Failed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TlsReportPolicyRow", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TlsReportPolicyRow_Reports_ReceivedReportId",
                        column: x => x.ReceivedReportId,
                        principalTable: "Reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DmarcReportRow_Domain_Day",
                table: "DmarcReportRow",
                columns: new[] { "Domain", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_DmarcReportRow_ReceivedReportId",
                table: "DmarcReportRow",
                column: "ReceivedReportId");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Domain_ReceivedAt",
                table: "Reports",
                columns: new[] { "Domain", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Kind_OrgName_ReportId",
                table: "Reports",
                columns: new[] { "Kind", "OrgName", "ReportId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reports_RawMimeId",
                table: "Reports",
                column: "RawMimeId");

            migrationBuilder.CreateIndex(
                name: "IX_TlsReportFailureRow_Domain_Day",
                table: "TlsReportFailureRow",
                columns: new[] { "Domain", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_TlsReportFailureRow_ReceivedReportId",
                table: "TlsReportFailureRow",
                column: "ReceivedReportId");

            migrationBuilder.CreateIndex(
                name: "IX_TlsReportPolicyRow_Domain_Day",
                table: "TlsReportPolicyRow",
                columns: new[] { "Domain", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_TlsReportPolicyRow_ReceivedReportId",
                table: "TlsReportPolicyRow",
                column: "ReceivedReportId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DmarcReportRow");

            migrationBuilder.DropTable(
                name: "TlsReportFailureRow");

            migrationBuilder.DropTable(
                name: "TlsReportPolicyRow");

            migrationBuilder.DropTable(
                name: "Reports");
        }
    }
}
