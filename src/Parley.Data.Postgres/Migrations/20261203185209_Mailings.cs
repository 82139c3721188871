using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Parley.Data.Postgres.Migrations
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
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FromName",
                table: "Templates",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MailingId",
                table: "Outbox",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OutgoingServerId",
                table: "Outbox",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Contacts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Mailings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TemplateId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Tag = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RecordIds = table.Column<string>(type: "text", nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ScheduledAt = table.Column<long>(type: "bigint", nullable: true),
                    OutgoingServerId = table.Column<long>(type: "bigint", nullable: true),
                    PerHour = table.Column<int>(type: "integer", nullable: true),
                    SpreadMinutes = table.Column<int>(type: "integer", nullable: true),
                    PublicBaseUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedByUserId = table.Column<long>(type: "bigint", nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    QueuedAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    QueueLeaseOwner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    QueueLeaseUntil = table.Column<long>(type: "bigint", nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RulesOverridden = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Mailings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TemplateAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TemplateId = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TemplateId = table.Column<long>(type: "bigint", nullable: false),
                    Language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MailingId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RecordId = table.Column<long>(type: "bigint", nullable: false),
                    Address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ChatterMessageId = table.Column<long>(type: "bigint", nullable: true),
                    OutboxItemId = table.Column<long>(type: "bigint", nullable: true),
                    UnsubscribedAt = table.Column<long>(type: "bigint", nullable: true),
                    ComplainedAt = table.Column<long>(type: "bigint", nullable: true),
                    RepliedAt = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
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
