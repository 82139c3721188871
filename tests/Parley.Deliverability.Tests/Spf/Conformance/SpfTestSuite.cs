using Parley.Deliverability.Dns;
using YamlDotNet.RepresentationModel;

namespace Parley.Deliverability.Tests.Spf.Conformance;

/// <summary>One test of the openspf RFC 7208 suite.</summary>
public sealed record SpfSuiteCase(string Scenario, string Name, string Helo, string Host, string MailFrom, IReadOnlyList<string> Results, string? Explanation)
{
    public string Id => $"{Scenario}/{Name}";
}

/// <summary>One YAML document of the suite: its tests and the DNS world they run in.</summary>
public sealed record SpfSuiteScenario(string Description, InMemoryDnsZone Zone, IReadOnlyList<SpfSuiteCase> Cases);

/// <summary>
/// Loads shared/conformance/spf/rfc7208-tests.yml. Zone data follows the suite's own driver (pyspf's
/// testspf.py): a name absent from zonedata is NXDOMAIN; "TIMEOUT" makes every type the name has no
/// records of time out; SPF-type records are also served as TXT unless the name lists any TXT entry
/// (even "TXT: NONE"), because RFC 7208 dropped the SPF RR type.
/// Shared with bench/spf (linked source).
/// </summary>
public static class SpfTestSuite
{
    public const string RelativePath = "../shared/conformance/spf/rfc7208-tests.yml";

    public static string DefaultPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
        }

        return Path.GetFullPath(Path.Combine(dir.FullName, RelativePath));
    }

    public static IReadOnlyList<SpfSuiteScenario> Load(string? path = null)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path ?? DefaultPath()))
        {
            stream.Load(reader);
        }

        var scenarios = new List<SpfSuiteScenario>();
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var description = Scalar(root, "description") ?? "scenario";
            var zone = BuildZone(root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var z) ? z as YamlMappingNode : null);
            var cases = new List<SpfSuiteCase>();
            foreach (var (key, value) in (YamlMappingNode)root.Children[new YamlScalarNode("tests")])
            {
                var test = (YamlMappingNode)value;
                var resultNode = test.Children[new YamlScalarNode("result")];
                var results = resultNode is YamlSequenceNode seq
                    ? seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray()
                    : [((YamlScalarNode)resultNode).Value!];
                cases.Add(new SpfSuiteCase(
                    description,
                    ((YamlScalarNode)key).Value!,
                    Scalar(test, "helo") ?? string.Empty,
                    Scalar(test, "host")!,
                    Scalar(test, "mailfrom") ?? string.Empty,
                    results,
                    Scalar(test, "explanation")));
            }

            scenarios.Add(new SpfSuiteScenario(description, zone, cases));
        }

        return scenarios;
    }

    private static InMemoryDnsZone BuildZone(YamlMappingNode? zonedata)
    {
        var zone = new InMemoryDnsZone();
        if (zonedata is null)
        {
            return zone;
        }

        foreach (var (nameNode, recordsNode) in zonedata)
        {
            var name = ((YamlScalarNode)nameNode).Value!;
            zone.AddName(name);
            var generatedTxt = new List<string[]>();
            bool listsTxt = false;
            bool timeout = false;
            foreach (var entry in (YamlSequenceNode)recordsNode)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    timeout = true;
                    continue;
                }

                foreach (var (typeNode, valueNode) in (YamlMappingNode)entry)
                {
                    var type = ((YamlScalarNode)typeNode).Value!;
                    if (type == "TXT")
                    {
                        listsTxt = true;
                    }

                    if (valueNode is YamlScalarNode { Value: "NONE" })
                    {
                        continue;
                    }

                    switch (type)
                    {
                        case "SPF":
                            generatedTxt.Add(Strings(valueNode));
                            break;
                        case "TXT":
                            zone.AddTxt(name, Strings(valueNode));
                            break;
                        case "A":
                            zone.AddA(name, ((YamlScalarNode)valueNode).Value!);
                            break;
                        case "AAAA":
                            zone.AddAaaa(name, ((YamlScalarNode)valueNode).Value!);
                            break;
                        case "PTR":
                            zone.AddPtr(name, ((YamlScalarNode)valueNode).Value!);
                            break;
                        case "CNAME":
                            zone.AddCname(name, ((YamlScalarNode)valueNode).Value!);
                            break;
                        case "MX":
                            var mx = (YamlSequenceNode)valueNode;
                            zone.AddMx(name, ushort.Parse(((YamlScalarNode)mx.Children[0]).Value!), ((YamlScalarNode)mx.Children[1]).Value ?? string.Empty);
                            break;
                        default:
                            throw new InvalidDataException($"Unknown record type {type} at {name}");
                    }
                }
            }

            if (!listsTxt)
            {
                foreach (var strings in generatedTxt)
                {
                    zone.AddTxt(name, strings);
                }
            }

            if (timeout)
            {
                zone.AddFailure(name, DnsStatus.Timeout);
            }
        }

        return zone;
    }

    private static string[] Strings(YamlNode node) => node switch
    {
        YamlSequenceNode seq => seq.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToArray(),
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        _ => throw new InvalidDataException("Unexpected TXT value"),
    };

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
