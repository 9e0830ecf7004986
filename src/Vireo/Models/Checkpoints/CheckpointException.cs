namespace Vireo.Models.Checkpoints;

/// <summary>A checkpoint file that cannot be read: missing, truncated, not written by torch.save, or of an unsupported kind.</summary>
public sealed class CheckpointException(string path, string message, Exception? inner = null) : ModelException(path, message, inner);
