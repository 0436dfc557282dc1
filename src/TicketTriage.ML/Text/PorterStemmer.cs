namespace TicketTriage.ML.Text;

/// <summary>
/// The Porter (1980) English suffix stripper, with the two changes its author later published in his reference
/// implementation ("bli" → "ble" instead of "abli" → "able", and "logi" → "log"), so "arrive", "arrived" and
/// "arriving" all become "arriv". Works in place on a span of lower-case ASCII letters; anything else (digits,
/// apostrophes, non-ASCII, two letters or fewer) is left as it is.
/// </summary>
public static class PorterStemmer
{
    /// <summary>Longest word that is stemmed; longer tokens (hashes, URLs squeezed together) are left alone.</summary>
    public const int MaxLength = 48;

    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > MaxLength)
        {
            return word;
        }

        Span<char> buffer = stackalloc char[word.Length];
        word.CopyTo(buffer);
        var length = Stem(buffer);
        // Same length can still differ ("happy" → "happi").
        return buffer[..length].SequenceEqual(word) ? word : new string(buffer[..length]);
    }

    /// <summary>Stems <paramref name="word"/> in place and returns the stem's length (a prefix of the span).</summary>
    public static int Stem(Span<char> word)
    {
        if (word.Length <= 2 || word.Length > MaxLength)
        {
            return word.Length;
        }

        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return word.Length;
            }
        }

        var w = new Work(word);
        w.Step1ab();
        if (w.K > 0)
        {
            w.Step1c();
            w.Step2();
            w.Step3();
            w.Step4();
            w.Step5();
        }

        return w.K + 1;
    }

    // The word is b[0..K]; J marks the end of the stem once Ends has matched a suffix (the classic formulation).
    private ref struct Work(Span<char> b)
    {
        private readonly Span<char> _b = b;

        public int K = b.Length - 1;

        private int _j;

        private readonly bool Consonant(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Consonant(i - 1),
            _ => true,
        };

        // m in [C](VC)^m[V] over b[0..J]: the number of vowel-consonant sequences in the stem.
        private readonly int Measure()
        {
            var n = 0;
            var i = SkipRun(0, consonants: true);
            while (true)
            {
                i = SkipRun(i, consonants: false);
                if (i > _j)
                {
                    return n;
                }

                n++;
                i = SkipRun(i, consonants: true);
                if (i > _j)
                {
                    return n;
                }
            }
        }

        // The first index from i on, up to J + 1, whose letter is not of the kind being skipped.
        private readonly int SkipRun(int i, bool consonants)
        {
            while (i <= _j && Consonant(i) == consonants)
            {
                i++;
            }

            return i;
        }

        private readonly bool VowelInStem()
        {
            for (var i = 0; i <= _j; i++)
            {
                if (!Consonant(i))
                {
                    return true;
                }
            }

            return false;
        }

        private readonly bool DoubleConsonant(int i) => i >= 1 && _b[i] == _b[i - 1] && Consonant(i);

        // consonant-vowel-consonant ending at i, the last not w, x or y: "hop" → "hope", not "snow".
        private readonly bool Cvc(int i) =>
            i >= 2 && Consonant(i) && !Consonant(i - 1) && Consonant(i - 2) && _b[i] is not ('w' or 'x' or 'y');

        private bool Ends(string suffix)
        {
            var length = suffix.Length;
            if (length > K + 1 || !_b.Slice(K - length + 1, length).SequenceEqual(suffix))
            {
                return false;
            }

            _j = K - length;
            return true;
        }

        private void SetTo(string s)
        {
            s.CopyTo(_b[(_j + 1)..]);
            K = _j + s.Length;
        }

        private void ReplaceIfMeasured(string s)
        {
            if (Measure() > 0)
            {
                SetTo(s);
            }
        }

        // Plurals and -ed / -ing.
        public void Step1ab()
        {
            if (_b[K] == 's')
            {
                if (Ends("sses"))
                {
                    K -= 2;
                }
                else if (Ends("ies"))
                {
                    SetTo("i");
                }
                else if (_b[K - 1] != 's')
                {
                    K--;
                }
            }

            if (Ends("eed"))
            {
                if (Measure() > 0)
                {
                    K--;
                }
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                K = _j;
                if (Ends("at"))
                {
                    SetTo("ate");
                }
                else if (Ends("bl"))
                {
                    SetTo("ble");
                }
                else if (Ends("iz"))
                {
                    SetTo("ize");
                }
                else if (DoubleConsonant(K))
                {
                    K--;
                    if (_b[K] is 'l' or 's' or 'z')
                    {
                        K++;
                    }
                }
                else if (Measure() == 1 && Cvc(K))
                {
                    SetTo("e");
                }
            }
        }

        // Terminal y → i when the stem has a vowel.
        public void Step1c()
        {
            if (Ends("y") && VowelInStem())
            {
                _b[K] = 'i';
            }
        }

        // Double suffixes to single ones.
        public void Step2()
        {
            switch (_b[K - 1])
            {
                case 'a':
                    _ = Try("ational", "ate") || Try("tional", "tion");
                    break;
                case 'c':
                    _ = Try("enci", "ence") || Try("anci", "ance");
                    break;
                case 'e':
                    _ = Try("izer", "ize");
                    break;
                case 'l':
                    _ = Try("bli", "ble") || Try("alli", "al") || Try("entli", "ent") || Try("eli", "e") || Try("ousli", "ous");
                    break;
                case 'o':
                    _ = Try("ization", "ize") || Try("ation", "ate") || Try("ator", "ate");
                    break;
                case 's':
                    _ = Try("alism", "al") || Try("iveness", "ive") || Try("fulness", "ful") || Try("ousness", "ous");
                    break;
                case 't':
                    _ = Try("aliti", "al") || Try("iviti", "ive") || Try("biliti", "ble");
                    break;
                case 'g':
                    _ = Try("logi", "log");
                    break;
            }
        }

        // -ic-, -full, -ness etc.
        public void Step3()
        {
            switch (_b[K])
            {
                case 'e':
                    _ = Try("icate", "ic") || Try("ative", "") || Try("alize", "al");
                    break;
                case 'i':
                    _ = Try("iciti", "ic");
                    break;
                case 'l':
                    _ = Try("ical", "ic") || Try("ful", "");
                    break;
                case 's':
                    _ = Try("ness", "");
                    break;
            }
        }

        // -ant, -ence etc. when the stem is long enough (m > 1).
        public void Step4()
        {
            var matched = _b[K - 1] switch
            {
                'a' => Ends("al"),
                'c' => Ends("ance") || Ends("ence"),
                'e' => Ends("er"),
                'i' => Ends("ic"),
                'l' => Ends("able") || Ends("ible"),
                'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
                'o' => (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') || Ends("ou"),
                's' => Ends("ism"),
                't' => Ends("ate") || Ends("iti"),
                'u' => Ends("ous"),
                'v' => Ends("ive"),
                'z' => Ends("ize"),
                _ => false,
            };
            if (matched && Measure() > 1)
            {
                K = _j;
            }
        }

        // A final -e, and -ll → -l, on long stems.
        public void Step5()
        {
            _j = K;
            if (_b[K] == 'e')
            {
                var m = Measure();
                if (m > 1 || (m == 1 && !Cvc(K - 1)))
                {
                    K--;
                }
            }

            if (_b[K] == 'l' && DoubleConsonant(K))
            {
                _j = K;
                if (Measure() > 1)
                {
                    K--;
                }
            }
        }

        // The first matching suffix decides: replaced when m > 0, otherwise the word is left as it is.
        private bool Try(string suffix, string replacement)
        {
            if (!Ends(suffix))
            {
                return false;
            }

            ReplaceIfMeasured(replacement);
            return true;
        }
    }
}
