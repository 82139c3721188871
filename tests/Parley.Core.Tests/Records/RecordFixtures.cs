using System.Text.Json;
using Parley.Core.Records;

namespace Parley.Core.Tests.Records;

/// <summary>The record types the record tests define: a quotation (customer, money, stages with done and cancelled).</summary>
internal static class RecordFixtures
{
    public static RecordTypeInput Quotation(string key = "quotation", string prefix = "Q-") => new(
        key, "Quotations", "Quotation", prefix,
        [
            new FieldInput("subject", "Subject", "text", Required: true),
            new FieldInput("customer", "Customer", "contact", Tracked: true),
            new FieldInput("amount", "Amount", "money", Tracked: true, Currency: "EUR"),
            new FieldInput("notes", "Notes", "longtext"),
            new FieldInput("priority", "Priority", "choice", Choices: ["Low", "High"]),
            new FieldInput("valid_until", "Valid until", "date"),
            new FieldInput("signed", "Signed", "bool"),
        ],
        "customer",
        [new StageInput("draft", "Draft"), new StageInput("sent", "Sent"), new StageInput("won", "Won", Done: true), new StageInput("lost", "Lost", Cancelled: true)]);

    public static object? Json(object? value) => value is null ? null : JsonSerializer.SerializeToElement(value);

    public static Dictionary<string, object?> Fields(params (string Key, object? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => Json(v.Value));
}
