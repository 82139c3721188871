namespace Parley.Operations;

/// <summary>
/// serve's console log: one line per entry for a person (the default), or one JSON object per line for a log
/// collector (<c>--log-format json</c>, the framework's JSON console formatter: timestamp, level, category, message,
/// and each named value of the message as a field, e.g. OutboxId and MessageId).
/// </summary>
public static class ConsoleLogging
{
    public const string Text = "text";
    public const string Json = "json";

    public static ILoggingBuilder AddParleyConsole(this ILoggingBuilder logging, string format)
    {
        if (format == Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        return logging;
    }
}
