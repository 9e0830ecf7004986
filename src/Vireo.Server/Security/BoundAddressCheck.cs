using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Vireo.Errors;
using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// Checks the addresses the server actually listens on, once it has started, whatever chose them (<c>--urls</c>,
/// code, configuration): any address that is not loopback without an API key stops the server, and starting fails
/// with a <see cref="UsageException"/>. <see cref="BindingPolicy.Check"/> refuses such <c>--urls</c> before binding;
/// this is the check that cannot be bypassed.
/// </summary>
internal sealed class BoundAddressCheck(IServer server, ServerOptions options) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (options.ApiKey is { Length: > 0 } || server.Features.Get<IServerAddressesFeature>() is not { } bound)
            return;
        var exposed = bound.Addresses.Where(address => !IsLoopback(address)).ToList();
        if (exposed.Count == 0)
            return;
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
        throw BindingPolicy.Exposed(exposed);
    }

    private static bool IsLoopback(string address)
    {
        try
        {
            return BindingPolicy.IsLoopback(address);
        }
        catch (UsageException)
        {
            return false; // not an http:// address (a Unix socket, a named pipe): not known to be loopback
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
