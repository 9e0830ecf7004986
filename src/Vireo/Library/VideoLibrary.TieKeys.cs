using System.Globalization;
using Vireo.Shards;

namespace Vireo.Library;

/// <summary>The tie keys of videos: what orders videos of equal score the same in a whole library and in shards of it.</summary>
public sealed partial class VideoLibrary
{
    /// <summary>The <see cref="VideoTieKey"/> of each of <paramref name="videoIds"/> still in the catalog.</summary>
    public Dictionary<long, VideoTieKey> TieKeys(IReadOnlyCollection<long> videoIds)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        var keys = new Dictionary<long, VideoTieKey>(videoIds.Count);
        if (videoIds.Count == 0)
            return keys;
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT id, path, content_hash FROM videos WHERE id IN ({string.Join(',', videoIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                keys[reader.GetInt64(0)] = new VideoTieKey(reader.GetString(1), reader.GetString(2));
            return keys;
        });
    }
}
