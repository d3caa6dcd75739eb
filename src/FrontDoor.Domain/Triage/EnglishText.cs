namespace FrontDoor.Domain.Triage;

/// <summary>
/// Whether a summary reads as English. The language model was trained on English; given Polish, Urdu or Somali it
/// still returns a vector, and the nearest English example is then a guess dressed as a suggestion. Such text gets
/// no model suggestions (the agent reads it or books an interpreter), rather than nonsense.
/// </summary>
public static class EnglishText
{
    /// <summary>Function words that nearly every English sentence of a few words contains.</summary>
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "from", "by", "about", "is", "are",
        "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "not", "no", "i", "me", "my", "we", "our",
        "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "it", "its", "this", "that", "there",
        "can", "cannot", "will", "would", "could", "should", "says", "said", "rang", "called", "asking", "needs",
        "need", "help", "because", "so", "since", "who", "what", "when", "how", "if", "as", "up", "out", "all", "any",
        "mum", "dad", "son", "daughter", "kids", "home", "house", "flat", "money", "rent", "council", "caller", "lady",
        "man", "woman", "gentleman", "just", "still", "now", "after", "been", "being", "get", "got", "keeps", "very",
    };

    public static bool IsLikely(string? text)
    {
        var words = NeedSuggester.Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }

        // A summary mostly in another script is not English, however many loan words it carries.
        var letters = (text ?? string.Empty).Where(char.IsLetter).ToList();
        if (letters.Count > 0 && letters.Count(c => c <= '\u024F') < letters.Count * 0.8)
        {
            return false;
        }

        // Very short notes ("PIP appeal", "bailiffs") carry no function words yet are plainly English.
        if (words.Length < 4)
        {
            return true;
        }

        // One function word in six: English of six words or more nearly always has two ("with", "the", "my").
        return words.Count(Common.Contains) >= (words.Length < 6 ? 1 : Math.Max(2, words.Length / 6));
    }
}
