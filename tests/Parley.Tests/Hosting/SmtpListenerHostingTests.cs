using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Hosting;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Hosting;

/// <summary>The listener's options as `parley serve` builds them: validated, so a limit that cannot work stops start-up.</summary>
public sealed class SmtpListenerHostingTests
{
    [Fact]
    public async Task Listener_options_that_cannot_work_are_refused_with_their_reason()
    {
        var dataDir = ParleyHost.NewDataDir();
        await using var app = ParleyServer.Build(new ServeOptions { DataDir = dataDir, RunWorkers = false },
            builder => builder.Services.Configure<SmtpListenerOptions>(o => o.MaxHeaderSize = 100)); // shorter than one line (1000)

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value);

        Assert.Contains("MaxHeaderSize", error.Message);
        Assert.Equal(error.Message, StartupConfigurationException.Find(new InvalidOperationException("host", error))?.Message);
    }
}
