using System.Reflection;

namespace Parley.Tests.Conventions;

/// <summary>
/// One house style (ADR 0022): a method's one <see cref="CancellationToken"/> is named <c>cancellationToken</c>.
/// .editorconfig naming rules cannot select a parameter by its type, so this reads the compiled assemblies.
/// A method that takes two tokens names each for what it stops (shutdown, abort); an override keeps its base's name.
/// </summary>
public class CancellationTokenNameTests
{
    private static readonly Assembly[] Checked =
    [
        typeof(Parley.Core.ServiceCollectionExtensions).Assembly,
        typeof(Parley.Smtp.Delivery.SmtpDeliveryClient).Assembly,
        typeof(Parley.Deliverability.Doctor.DomainDoctor).Assembly,
        typeof(Parley.Mailboxes.MailboxConnector).Assembly,
        typeof(Program).Assembly,
        typeof(CancellationTokenNameTests).Assembly,
    ];

    [Fact]
    public void Every_single_cancellation_token_parameter_is_named_cancellationToken()
    {
        var misnamed = Checked
            .SelectMany(SafeTypes)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
                | BindingFlags.Static | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            .Where(m => !IsCompilerGenerated(m) && !OverridesAnother(m))
            .Select(m => (Method: m, Tokens: m.GetParameters().Where(IsToken).ToArray()))
            .Where(x => x.Tokens.Length == 1 && x.Tokens[0].Name != "cancellationToken")
            .Select(x => $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}({x.Tokens[0].Name})")
            .Distinct()
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();

        Assert.True(misnamed.Count == 0,
            "Name the CancellationToken parameter 'cancellationToken' in:\n" + string.Join("\n", misnamed));
    }

    [Fact]
    public void The_check_sees_the_code_it_guards()
    {
        // Guards the test above against passing by reading nothing: a known method is found with its token.
        var send = typeof(Parley.Smtp.Delivery.SmtpDeliveryClient).GetMethods()
            .SelectMany(m => m.GetParameters())
            .Where(IsToken)
            .Select(p => p.Name);
        Assert.Contains("cancellationToken", send);
    }

    private static bool IsToken(ParameterInfo p) =>
        p.ParameterType == typeof(CancellationToken) || p.ParameterType == typeof(CancellationToken?);

    private static bool IsCompilerGenerated(MethodBase m) =>
        m.Name.Contains('<') || m.DeclaringType!.Name.Contains('<')
        || m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false);

    /// <summary>An override or an explicit implementation keeps the name its base chose.</summary>
    private static bool OverridesAnother(MethodBase m) =>
        m is MethodInfo info && (info.GetBaseDefinition().DeclaringType != info.DeclaringType || info.Name.Contains('.'));

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
