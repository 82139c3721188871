using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    OrgName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReportId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    IsOurs = table.Column<bool>(type: "INTEGER", nullable: false),
                    BeginAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Volume = table.Column<long>(type: "INTEGER", nullable: false),
                    Policy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RawMimeId = table.Column<long>(type: "INTEGER", nullable: true),
                    InboundMessageId = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReceivedReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    Reporter = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SourceIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    Disposition = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DkimAligned = table.Column<bool>(type: "INTEGER", nullable: false),
                    SpfAligned = table.Column<bool>(type: "INTEGER", nullable: false),
                    DkimResult = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DkimSignatures = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SpfResult = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SpfDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    HeaderFrom = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    EnvelopeFrom = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReceivedReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    ResultType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReceivingMx = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    ReceivingIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    SendingIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReceivedReportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Day = table.Column<long>(type: "INTEGER", nullable: false),
                    Reporter = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PolicyType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Successful = table.Column<long>(type: "INTEGER", nullable: false),
                    Failed = table.Column<long>(type: "INTEGER", nullable: false)
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
