using Vireo.Errors;

namespace Vireo.Server.Security;

/// <summary>The server cannot listen on an address another program already uses (<see cref="ErrorKind.Dependency"/>).</summary>
internal sealed class AddressTakenException(string address, Exception inner)
    : VireoException(ErrorKind.Dependency, $"{address} is already in use by another program: stop it, or listen elsewhere with --urls", address,
        "the address is already in use by another program", inner);
