using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Parley.Core.Outbox;
using Parley.Deliverability.Dns;
using Parley.Hosting;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Hosting;

/// <summary>
/// README's "Configuration" table against the options Parley binds (<see cref="ParleyOptions.Sections"/>): every section
/// and key is listed, every key listed really is set by configuration, and keys a flag owns ignore it.
/// </summary>
public sealed partial class ConfigurationReadmeTests
{
    private sealed record ReadmeRow(string Section, IReadOnlyList<string> Keys, IReadOnlyList<string> FlagKeys);

    private static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return Path.Combine(dir.FullName, "README.md");
            }
        }

        throw new FileNotFoundException("README.md (beside Parley.slnx) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The rows of the table under "### Configuration": | `Section` | what | `Key`, … | `Key` (`--flag`) |.</summary>
    private static List<ReadmeRow> ReadmeRows()
    {
        var lines = File.ReadAllLines(ReadmePath());
        var start = Array.FindIndex(lines, l => l.Trim() == "### Configuration");
        Assert.True(start >= 0, "README.md has no '### Configuration' section");
        var rows = new List<ReadmeRow>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 6 || !cells[1].StartsWith('`'))
            {
                continue; // | a | b | c | d | splits into 6
            }

            rows.Add(new ReadmeRow(cells[1].Trim('`'), Names(cells[3]), Names(cells[4])));
        }
        return rows;
    }

    private static List<string> Names(string cell) =>
        Code().Matches(cell).Select(m => m.Groups[1].Value).Where(n => !n.StartsWith('-')).ToList();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    /// <summary>What configuration can bind: settable properties of simple types, and lists and maps of them.</summary>
    private static List<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && IsBindable(p.PropertyType)).ToList();

    private static bool IsBindable(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal))
        {
            return true;
        }

        if (type.IsArray)
        {
            return IsBindable(type.GetElementType()!);
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var g && (g == typeof(List<>) || g == typeof(Dictionary<,>))
            && type.GetGenericArguments().All(IsBindable);
    }

    [Fact]
    public void The_readme_lists_every_bound_section_and_key()
    {
        var readme = ReadmeRows().ToDictionary(r => r.Section);
        var expected = ParleyOptions.Sections.Select(s => $"| `{s.Name}` | … | {string.Join(", ", Bindable(s.Type).Select(p => $"`{p.Name}`"))} | |");
        var hint = "README.md's configuration table should name these sections and keys (a key a flag sets goes in the last column):\n" + string.Join("\n", expected);

        Assert.True(readme.Keys.Order().SequenceEqual(ParleyOptions.Sections.Select(s => s.Name).Order()), hint);
        foreach (var section in ParleyOptions.Sections)
        {
            var row = readme[section.Name];
            Assert.True(row.Keys.Intersect(row.FlagKeys).ToList() is [], $"{section.Name}: a key is either configured or set by a flag");
            Assert.True(Bindable(section.Type).Select(p => p.Name).Order().SequenceEqual(row.Keys.Concat(row.FlagKeys).Order()), $"{section.Name}:\n{hint}");
        }
    }

    [Fact]
    public void Every_key_the_readme_lists_is_set_by_configuration()
    {
        var rows = ReadmeRows();
        var values = new Dictionary<string, string?>();
        var checks = new List<Action<IServiceProvider>>();
        foreach (var row in rows)
        {
            var section = ParleyOptions.Sections.Single(s => s.Name == row.Section);
            var defaults = Activator.CreateInstance(section.Type)!;
            foreach (var property in Bindable(section.Type).Where(p => row.Keys.Contains(p.Name)))
            {
                var (settings, check) = Configured(property, property.GetValue(defaults));
                foreach (var (suffix, text) in settings)
                {
                    values[$"{section.Name}:{property.Name}{suffix}"] = text;
                }

                checks.Add(services =>
                {
                    var actual = property.GetValue(OptionsOf(services, section.Type));
                    Assert.True(check(actual), $"{section.Name}:{property.Name} was configured as {string.Join(", ", settings.Select(s => s.Text))} but is {Show(actual)}");
                });
            }
        }
        Assert.NotEmpty(checks);
        using var app = Build(values);
        foreach (var check in checks)
        {
            check(app.Services);
        }
    }

    [Fact]
    public void Keys_a_flag_sets_ignore_configuration()
    {
        var flagKeys = ReadmeRows().SelectMany(r => r.FlagKeys.Select(k => (r.Section, Key: k))).ToList();
        Assert.Equal([("SmtpDelivery", "DirectDeliveryPort"), ("SmtpDelivery", "HeloName"), ("SmtpListener", "Host"), ("SmtpListener", "MaxMessageSize"), ("SmtpListener", "Port"), ("SmtpListener", "ServerName")], flagKeys.Order());
        using var app = Build(new() { ["SmtpListener:Host"] = "0.0.0.0", ["SmtpListener:Port"] = "2600", ["SmtpDelivery:DirectDeliveryPort"] = "2626", ["SmtpListener:MaxMessageSize"] = "1000", ["Inbound:MaxMessageSize"] = "2000" },
            new ServeOptions { DataDir = ParleyHost.NewDataDir(), RunWorkers = false, SmtpListen = "127.0.0.1:2700", DirectDeliveryPort = 2727 });
        var listener = app.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value;
        Assert.Equal(("127.0.0.1", 2700), (listener.Host, listener.Port));
        Assert.Equal(2000, listener.MaxMessageSize); // one inbound limit: the Inbound section's
        Assert.Equal(2727, app.Services.GetRequiredService<IOptions<Smtp.Delivery.SmtpDeliveryOptions>>().Value.DirectDeliveryPort);
    }

    [Fact]
    public void A_flag_given_wins_over_configuration_and_configuration_wins_over_parleys_defaults()
    {
        var values = new Dictionary<string, string?>
        {
            ["SmtpListener:ServerName"] = "configured.example",
            ["Dns:Servers:0"] = "10.0.0.1",
            ["SmtpListener:MaxConnectionsPerIp"] = "70",
        };
        using (var configured = Build(values))
        {
            var listener = configured.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value;
            // The host name is not configuration: Settings → Host name, else --smtp-name, else the machine's (one host name).
            Assert.Equal((System.Net.Dns.GetHostName(), 70), (listener.ServerName, listener.MaxConnectionsPerIp));
            Assert.Equal(["10.0.0.1"], configured.Services.GetRequiredService<IOptions<DnsOptions>>().Value.Servers);
        }
        using var flagged = Build(values, new ServeOptions { DataDir = ParleyHost.NewDataDir(), RunWorkers = false, SmtpName = "mx.flag.example", Dns = "127.0.0.1:5353" });
        Assert.Equal("mx.flag.example", flagged.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value.ServerName);
        Assert.Equal(["127.0.0.1:5353"], flagged.Services.GetRequiredService<IOptions<DnsOptions>>().Value.Servers);
        using var plain = Build([]);
        Assert.Equal(50, plain.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value.MaxConnectionsPerIp); // Parley's default, not the library's 20
    }

    [Fact]
    public async Task A_value_that_cannot_be_read_stops_start_naming_where_it_is()
    {
        await using var app = Build(new() { ["Outbox:BatchSize"] = "many" });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        var configuration = StartupConfigurationException.Find(error);
        Assert.NotNull(configuration);
        Assert.Contains("Outbox:BatchSize", configuration.Message);
        Assert.Contains("Outbox__", configuration.Message);
    }

    [Fact]
    public async Task A_value_out_of_range_stops_start_with_its_reason()
    {
        await using var app = Build(new() { ["Fetch:MaxStoreAttempts"] = "0" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("MaxStoreAttempts", error.Message);
        Assert.Equal(error.Message, StartupConfigurationException.Find(error)?.Message);
    }

    private static WebApplication Build(Dictionary<string, string?> values, ServeOptions? serve = null) =>
        ParleyServer.Build(serve ?? new ServeOptions { DataDir = ParleyHost.NewDataDir(), RunWorkers = false, Urls = "http://127.0.0.1:0", SmtpListen = "127.0.0.1:0" },
            builder => builder.Configuration.AddInMemoryCollection(values));

    private static object OptionsOf(IServiceProvider services, Type type)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
    }

    /// <summary>A value other than the default (valid for every check Parley makes) and how to recognise it once bound.</summary>
    private static (List<(string Suffix, string Text)> Settings, Func<object?, bool> Check) Configured(PropertyInfo property, object? current)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(bool))
        {
            return One(current is true ? "false" : "true", v => v is bool b && b != (current is true));
        }

        if (type == typeof(int))
        {
            return One(Text((int)(current ?? 0) + 1), v => Equals(v, (int)(current ?? 0) + 1));
        }

        if (type == typeof(long))
        {
            return One(Text((long)(current ?? 0L) + 1), v => Equals(v, (long)(current ?? 0L) + 1));
        }

        if (type == typeof(double))
        {
            var wanted = (double)(current ?? 4.0) / 2; // halves stay inside ranges such as [0, 1)
            return One(Text(wanted), v => v is double d && Math.Abs(d - wanted) < 1e-9);
        }
        if (type == typeof(TimeSpan))
        {
            var wanted = (TimeSpan)(current ?? TimeSpan.Zero) + TimeSpan.FromSeconds(1);
            return One(wanted.ToString("c"), v => Equals(v, wanted));
        }
        if (type == typeof(string))
        {
            return One($"configured-{property.Name.ToLowerInvariant()}", v => Equals(v, $"configured-{property.Name.ToLowerInvariant()}"));
        }

        if (type == typeof(List<string>))
        {
            return ([(":0", "configured.example")], v => v is List<string> l && l.Contains("configured.example"));
        }

        if (type == typeof(TimeSpan[]))
        {
            return ([(":0", "00:00:42")], v => v is TimeSpan[] a && a.Contains(TimeSpan.FromSeconds(42)));
        }

        if (type == typeof(Dictionary<string, string>))
        {
            return ([(":configured.example", "127.0.0.9")], v => v is Dictionary<string, string> d && d.GetValueOrDefault("configured.example") == "127.0.0.9");
        }

        if (type == typeof(Dictionary<string, int>))
        {
            return ([(":configured.example", "2526")], v => v is Dictionary<string, int> d && d.GetValueOrDefault("configured.example") == 2526);
        }

        throw new NotSupportedException($"No test value for {property.DeclaringType!.Name}.{property.Name} ({property.PropertyType}); add one here.");

        static (List<(string, string)>, Func<object?, bool>) One(string text, Func<object?, bool> check) => ([("", text)], check);
        static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
    }

    private static string Show(object? value) => value is IEnumerable e and not string ? $"[{string.Join(", ", e.Cast<object>())}]" : value?.ToString() ?? "null";
}
