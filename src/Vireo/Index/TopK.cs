namespace Vireo.Index;

/// <summary>
/// The k best (score, id) pairs seen so far: a binary min-heap whose root is the worst kept pair. Order: higher
/// score first, then smaller id, so results are deterministic when scores tie.
/// </summary>
internal sealed class TopK
{
    private readonly float[] _scores;
    private readonly long[] _ids;
    private int _count;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        _scores = new float[k];
        _ids = new long[k];
    }

    public int Count => _count;

    /// <summary>Scores below this cannot enter; a score equal to it enters only with a smaller id.</summary>
    public float Threshold => _count < _scores.Length ? float.NegativeInfinity : _scores[0];

    public void Offer(float score, long id)
    {
        if (_count < _scores.Length)
        {
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Worse(score, id, _scores[parent], _ids[parent]))
                    break;
                _scores[i] = _scores[parent];
                _ids[i] = _ids[parent];
                i = parent;
            }
            _scores[i] = score;
            _ids[i] = id;
        }
        else if (Worse(_scores[0], _ids[0], score, id))
        {
            SiftDown(score, id);
        }
    }

    public void Merge(TopK other)
    {
        for (var i = 0; i < other._count; i++)
            Offer(other._scores[i], other._ids[i]);
    }

    /// <summary>The kept pairs, best first.</summary>
    public VectorHit[] ToArray()
    {
        var hits = new VectorHit[_count];
        for (var i = 0; i < _count; i++)
            hits[i] = new VectorHit(_ids[i], _scores[i]);
        Array.Sort(hits, static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Id.CompareTo(y.Id));
        return hits;
    }

    private void SiftDown(float score, long id)
    {
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= _count)
                break;
            if (child + 1 < _count && Worse(_scores[child + 1], _ids[child + 1], _scores[child], _ids[child]))
                child++;
            if (!Worse(_scores[child], _ids[child], score, id))
                break;
            _scores[i] = _scores[child];
            _ids[i] = _ids[child];
            i = child;
        }
        _scores[i] = score;
        _ids[i] = id;
    }

    private static bool Worse(float score, long id, float otherScore, long otherId) =>
        score < otherScore || (score == otherScore && id > otherId);
}
