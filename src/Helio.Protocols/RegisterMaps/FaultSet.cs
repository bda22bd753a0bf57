using System.Numerics;
using System.Runtime.CompilerServices;

namespace Helio.Protocols.RegisterMaps;

/// <summary>The fault IDs active in one reading (1 … <see cref="MaxId"/>), as bits: no allocation.</summary>
public struct FaultSet : IEquatable<FaultSet>
{
    public const int MaxId = 256;

    private Words words;

    public readonly bool IsEmpty
    {
        get
        {
            foreach (var word in words)
            {
                if (word != 0)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public readonly int Count
    {
        get
        {
            var count = 0;
            foreach (var word in words)
            {
                count += BitOperations.PopCount(word);
            }
            return count;
        }
    }

    public void Add(int id)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, MaxId);
        words[(id - 1) / 64] |= 1UL << ((id - 1) % 64);
    }

    public readonly bool Contains(int id) => id is >= 1 and <= MaxId && (words[(id - 1) / 64] & (1UL << ((id - 1) % 64))) != 0;

    /// <summary>The IDs in ascending order, written to <paramref name="destination"/>; returns how many.</summary>
    public readonly int CopyTo(Span<int> destination)
    {
        var n = 0;
        for (var w = 0; w < Words.Length; w++)
        {
            var word = words[w];
            while (word != 0)
            {
                destination[n++] = (w * 64) + BitOperations.TrailingZeroCount(word) + 1;
                word &= word - 1;
            }
        }
        return n;
    }

    public readonly int[] ToArray()
    {
        var ids = new int[Count];
        CopyTo(ids);
        return ids;
    }

    public readonly bool Equals(FaultSet other) => ((ReadOnlySpan<ulong>)words).SequenceEqual(other.words);

    public override readonly bool Equals(object? obj) => obj is FaultSet other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(words[0], words[1], words[2], words[3]);

    [InlineArray(Length)]
    private struct Words
    {
        public const int Length = MaxId / 64;

        private ulong element;
    }
}
