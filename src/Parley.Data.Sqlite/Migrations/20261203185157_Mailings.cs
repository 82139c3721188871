using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Mailings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FromAddress",
                table: "Templates",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FromName",
                table: "Templates",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MailingId",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OutgoingServerId",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Contacts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Mailings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TemplateId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RecordIds = table.Column<string>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OutgoingServerId = table.Column<long>(type: "INTEGER", nullable: true),
                    PerHour = table.Column<int>(type: "INTEGER", nullable: true),
                    SpreadMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    PublicBaseUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedByUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    QueueLeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QueueLeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RulesOverridden = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Mailings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TemplateAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TemplateId = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TemplateAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TemplateAttachments_Templates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "Templates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TemplateTranslations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TemplateId = table.Column<long>(type: "INTEGER", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TemplateTranslations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TemplateTranslations_Templates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "Templates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MailingRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MailingId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ChatterMessageId = table.Column<long>(type: "INTEGER", nullable: true),
                    OutboxItemId = table.Column<long>(type: "INTEGER", nullable: true),
                    UnsubscribedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ComplainedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RepliedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailingRecipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailingRecipients_Mailings_MailingId",
                        column: x => x.MailingId,
                        principalTable: "Mailings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_MailingId_State",
                table: "Outbox",
                columns: new[] { "MailingId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_MailingRecipients_ChatterMessageId",
                table: "MailingRecipients",
                column: "ChatterMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_MailingRecipients_MailingId_RecordType_RecordId",
                table: "MailingRecipients",
                columns: new[] { "MailingId", "RecordType", "RecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailingRecipients_OutboxItemId",
                table: "MailingRecipients",
                column: "OutboxItemId");

            migrationBuilder.CreateIndex(
                name: "IX_Mailings_State_ScheduledAt",
                table: "Mailings",
                columns: new[] { "State", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TemplateAttachments_TemplateId_FileName",
                table: "TemplateAttachments",
                columns: new[] { "TemplateId", "FileName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TemplateTranslations_TemplateId_Language",
                table: "TemplateTranslations",
                columns: new[] { "TemplateId", "Language" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MailingRecipients");

            migrationBuilder.DropTable(
                name: "TemplateAttachments");

            migrationBuilder.DropTable(
                name: "TemplateTranslations");

            migrationBuilder.DropTable(
                name: "Mailings");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_MailingId_State",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "FromAddress",
                table: "Templates");

            migrationBuilder.DropColumn(
                name: "FromName",
                table: "Templates");

            migrationBuilder.DropColumn(
                name: "MailingId",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "OutgoingServerId",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "Contacts");
        }
    }
}
