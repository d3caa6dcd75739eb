using System.Text.RegularExpressions;

namespace FrontDoor.Domain.Triage;

/// <summary>A safeguarding concern a combination of words raised, and those words, so the agent can see why.</summary>
public sealed record SafeguardingSignal(string Need, string Because, IReadOnlyList<string> Words);

/// <summary>
/// The safeguarding combinations the council's front door must never miss, as explicit rules rather than scores:
/// a child alongside domestic abuse, neglect or exploitation; a 16- or 17-year-old without a home; an adult at risk
/// (someone else controlling their money, cuckooing, self-neglect, confusion with soiling, violence). A rule either
/// holds or it does not, so no threshold tuned for precision can ever silence it. Denied clauses ("no concerns
/// about the children") take no part.
/// </summary>
public static partial class SafeguardingSignals
{
    private static readonly Phrases ChildWords = new(
    [
        "child", "children", "kid", "kids", "brothers", "sisters", "little brother", "little sister", "schoolgirl", "schoolboy", "kiddies", "baby", "babies", "toddler", "toddlers", "newborn", "infant",
        "son", "sons", "daughter", "daughters", "boy", "boys", "little girl", "little girls", "teenager", "teenagers",
        "teen", "teens", "grandson", "granddaughter", "grandchildren", "grandkids", "stepson", "stepdaughter",
        "step son", "step daughter", "nephew", "niece", "little one", "little ones", "pupil", "pupils", "lad", "youngster",
        "youngsters", "young person", "young people", "school age", "primary school", "secondary school",
    ]);

    /// <summary>Relatives who are adults although their names contain "son" or "daughter".</summary>
    private static readonly string[] AdultRelatives = ["son in law", "daughter in law", "grown up son", "grown up daughter", "adult son", "adult daughter"];

    private static readonly Phrases DomesticAbuseWords = new(
    [
        "domestic abuse", "domestic violence", "violent partner", "abusive partner", "violent husband", "violent boyfriend",
        "coercive control", "controlling partner", "hits her", "hit her", "hitting her", "hits me", "hit me", "hitting me",
        "beats her", "beat her", "beats me", "punched her", "punched me", "slapped her", "slapped me", "strangled",
        "pushed her", "pushed me", "black eye", "threatened to kill", "fleeing", "fled", "smashing the place up",
        "throws things", "threw things", "police were called", "police called", "shouting and screaming", "refuge",
        "frightened of him", "scared of him", "afraid of him", "frightened of her partner", "scared of her partner",
        "broke my wrist", "broke her wrist", "broke her arm", "broke my arm", "with a knife", "split lip", "swollen lip", "furniture being thrown", "throwing furniture", "smashed the place", "screams most nights", "history of violence", "previous convictions for harming", "harming a child", "tracks her phone", "controlling relationship", "won't let her have", "won't let her out", "terrified of him",
    ]);

    private static readonly Phrases NeglectWords = new(
    [
        "proper meal", "not being fed", "not fed", "never fed", "always hungry", "starving", "left alone", "home alone",
        "left on their own", "left on his own", "left on her own", "out on the street", "out on the streets",
        "out till midnight", "out until midnight", "out all hours", "out all night", "out at all hours", "dirty clothes",
        "same clothes", "filthy", "unwashed", "smells", "nits", "no one looks after", "nobody looks after",
        "no one picks", "nobody picks", "parents drinking", "mum drinking", "dad drinking", "always drunk", "off their heads",
        "drugs in the house", "needles", "bruise", "bruises", "bruising", "marks on", "scared to go home",
        "frightened to go home", "afraid to go home", "screaming at", "shouting at the kids", "hits the kids",
        "hitting the kids", "hits the children", "no heating for the baby", "not at school for weeks", "locked out",
        "nothing for tea", "forgets to feed", "forgot to feed", "under the influence", "drinks every day", "mum drinks", "dad drinks", "locks him out", "locks her out", "locked him out", "cold and dirty", "yesterday's nappy", "dirty nappy", "arrived hungry", "asking for food", "asking adults for money", "in t shirts in the cold", "nobody's home", "nobody home", "on their own most", "crying and calling", "throws stuff at me", "throws things at me", "comes in her room", "comes into her room", "refusing to return", "never see her again", "never see him again", "doesn't want to go home", "don't want to go home", "dont want to go home", "can't go home", "wouldn't say why", "not to tell anyone", "begged us not to tell", "begged me not to tell", "run away", "ran away",
    ]);

    private static readonly Phrases ExploitationWords = new(
    [
        "county lines", "grooming", "groomed", "older men", "older man", "older lads", "older boys", "gifts", "new trainers",
        "new phone", "expensive clothes", "wads of cash", "going missing", "gone missing", "goes missing", "missing from home",
        "picked up in cars", "getting into cars", "carrying drugs", "dealing", "running drugs", "cuckooing", "sending pictures",
        "sending photos", "met online", "stranger online", "sexual", "exploited", "exploitation", "trafficked",
        "paying kids", "carry packages", "carrying packages", "offering him money", "offering her money", "adult men", "older man each time", "different older man", "to hotels", "met online", "wants to meet her", "wants to meet him", "sending her money", "sending him money", "says he loves her", "sends her money", "sends him money",
    ]);

    private static readonly Phrases WithoutHomeWords = new(
    [
        "thrown out", "kicked out", "chucked out", "put out", "told to leave", "told him to leave", "told her to leave",
        "asked to leave", "nowhere to stay", "nowhere to sleep", "nowhere to go", "nowhere to live", "sofa surfing",
        "staying wherever", "sleeping rough", "on the streets", "homeless", "mates floors", "mate's floors", "friends floors", "friend's floors",
        "sleeping in a car", "sleeping in the park",
        "has to go", "won't have her back", "won't have him back", "not to come back", "sleeping at ours", "staying at ours", "in a tent", "sleeping bag", "anywhere she could stay", "anywhere he could stay", "somewhere to stay", "boyfriend's family", "girlfriend's family", "can't go home",
    ]);

    private static readonly Phrases OthersMoney = new(
    [
        "her pension", "his pension", "their pension", "her money", "his money", "her bank card", "his bank card",
        "her card", "his card", "her savings", "his savings", "her benefits", "his benefits", "her account", "his account",
        "her pin", "his pin", "mum's pension", "dad's pension", "nan's pension", "gran's pension", "mum's money", "dad's money",
        "nan's money", "gran's money", "mums pension", "dads pension", "nans pension", "mums money", "dads money", "her post office", "his post office",
        "her universal credit", "his universal credit", "her wages", "his wages", "her uc", "his uc", "her bank", "his bank",
    ]);

    private static readonly Phrases ControllingVerbs = new(
    [
        "drawing", "draws", "drew", "taking", "takes", "took", "taken", "controls", "controlling", "control of", "keeps hold",
        "kept hold", "helping himself", "helping herself", "helps himself", "spending", "spends", "spent",
        "emptied", "emptying", "cashing", "cashes", "won't let her have", "won't let him have",
        "borrowing", "borrowed", "pressuring", "pressured", "making her sign", "making him sign", "signed over",
        "keeps", "looks after", "got her to sign", "got him to sign", "sign over",
    ]);

    private static readonly Phrases CuckooingWords = new(
    [
        "cuckooing", "cuckooed", "taken over his flat", "taken over her flat", "taken over his home", "taken over her home",
        "taken over his house", "taken over her house", "using his flat", "using her flat", "using his place", "using her place",
        "dealing from his", "dealing from her", "people coming and going", "men coming and going", "strangers coming and going",
        "lads coming and going", "moved in and won't leave", "won't leave his flat", "won't leave her flat",
        "taken over the house", "taken over the flat", "has taken over", "people in and out", "in and out all night", "keep stuff at his", "keep stuff at her", "keeps stuff at his", "keeps stuff at her", "let some lads stay",
    ]);

    private static readonly Phrases SelfNeglectWords = new(
    [
        "self neglect", "self neglecting", "hoarding", "hoarder", "hoards", "house is in a state", "flat is in a state",
        "home is in a state", "place is in a state", "living in squalor", "squalor", "piles of rubbish", "rubbish piled",
        "stopped eating", "not eating", "hasn't eaten", "not washing", "hasn't washed", "won't wash", "not looking after himself",
        "not looking after herself", "can't look after himself", "can't look after herself", "no food and no heating",
    ]);

    private static readonly Phrases ConfusionWords = new(
    [
        "confused", "confusion", "dementia", "alzheimers", "alzheimer's", "doesn't know where", "didn't know where", "wandering",
        "wanders", "forgetful", "muddled",
    ]);

    private static readonly Phrases UnattendedWords = new(
    [
        "soiled", "soiling", "wet herself", "wet himself", "urine", "smelt of", "smells of", "covered in", "incontinent",
        "in her nightie", "in his pyjamas", "in the middle of the night", "no one checking", "nobody checking", "found on the floor",
        "not been seen", "unattended", "alone all day",
    ]);

    private static readonly Phrases ViolenceWords = new(
    [
        "domestic abuse", "domestic violence", "violent partner", "abusive partner", "coercive control", "controlling partner",
        "hits her", "hit her", "hitting her", "hits him", "hit him", "hits me", "hit me", "hitting me", "beats her", "beat her",
        "beats me", "punched her", "punched him", "punched me", "slapped her", "slapped me", "strangled", "pushed her",
        "pushed him", "pushed me", "black eye", "threatened to kill", "threatens her", "threatens him", "threatening her",
        "frightened of him", "scared of him", "afraid of him", "frightened of her", "scared of her son", "scared of his son",
        "won't let her out", "won't let me out", "checks my phone", "takes my phone", "elder abuse", "financial abuse",
        "modern slavery", "kept his passport", "kept her passport", "took his passport", "took her passport", "working for no pay",
        "unexplained injuries", "bruises", "bruising", "fleeing", "fled",
        "broke my wrist", "broke her wrist", "broke her arm", "with a knife", "split lip", "swollen lip", "marks on her", "marks on his", "rough with her", "rough with him", "pushing her around", "pushing him around", "tracks her phone", "tracks my phone", "locks her phone", "controlling relationship", "slashed her tyres", "keeps turning up", "stalking", "stalks her", "keeps his passport", "keeps her passport", "terrified of him", "furniture being thrown", "screams most nights", "safe account", "scammed", "scam", "sent thousands", "withdraw large amounts", "sign over her", "signed over her", "sign over his",
    ]);

    /// <summary>An adult left unattended or unseen: on its own enough to ask whether someone is at risk.</summary>
    private static readonly Phrases LeftUnattendedWords = new(
    [
        "soiled bedding", "left soiled", "found soiled", "sitting in soiled", "hasn't been seen for days", "not been seen for days",
        "milk on the step", "post piling up", "no one has seen her", "no one has seen him", "found in the road", "found in the street",
        "not knowing where he lived", "not knowing where she lived", "didn't know where he lived", "didn't know where she lived",
        "no food in for days", "same cardigan", "same clothes all week",
    ]);

    /// <summary>Adults whose care needs make them easier to take advantage of.</summary>
    private static readonly Phrases AdultWithNeedsWords = new(
    [
        "learning disability", "learning disabilities", "learning difficulties", "learning difficulty", "brain injury", "dementia",
        "frail", "elderly", "confused", "muddled", "vulnerable adult", "mental health", "autistic", "blind", "housebound",
    ]);

    private static readonly Phrases TakingAdvantageWords = new(
    [
        "taken over", "won't leave", "in and out", "keep stuff", "keeps stuff", "tell him to", "tells him to", "tell her to", "tells her to",
        "pushing", "takes his money", "takes her money", "so called friend", "so called friends", "his mates", "her mates",
        "scared to go home", "makes him", "makes her", "did all the talking", "does all the talking", "withdraw",
    ]);

    [GeneratedRegex(@"\b(1[0-5]) ?(year|yr|years|yrs) ?old\b|\baged? (1[0-5])\b|\b(i m|im|he s|she s|is) (1[0-5])\b|\babout (1[0-5])\b", RegexOptions.CultureInvariant)]
    private static partial Regex YoungTeenager();

    [GeneratedRegex(@"\b(1[67]) ?(year|yr|years|yrs) ?old\b|\baged? (16|17)\b|\b(16|17) ?yo\b|\bsixteen\b|\bseventeen\b|\b(is|turned|just) (16|17)\b|\b(son|daughter|grandson|granddaughter|stepson|stepdaughter|nephew|niece|lad|boy|girl|brother|sister|teenager) (is |aged )?(16|17)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SixteenOrSeventeen();

    [GeneratedRegex(@"\b([0-9]|1[0-7]) ?(year|yr|years|yrs) ?old\b|\b[0-9]+ ?(month|months|week|weeks) ?old\b|\b(aged?|i m|im|he s|she s|about) ([0-9]|1[0-7])\b", RegexOptions.CultureInvariant)]
    private static partial Regex ChildAge();

    /// <summary>The signals a summary raises, from its clauses that do not deny a concern.</summary>
    public static IReadOnlyList<SafeguardingSignal> Raise(IReadOnlyList<Clause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var live = clauses.Where(c => !c.Denies).Select(c => $" {NeedSuggester.Normalise(c.Text)} ").ToList();
        if (live.Count == 0)
        {
            return [];
        }

        var whole = string.Join(' ', live);
        var signals = new List<SafeguardingSignal>();
        var child = ChildMentions(whole);
        var teenager = SixteenOrSeventeen().Matches(whole).Select(m => m.Value.Trim()).Distinct(StringComparer.Ordinal).ToList();

        AddIf(signals, NeedCodes.ChildSafeguarding, "a child and domestic abuse", child, Found(whole, DomesticAbuseWords));
        AddIf(signals, NeedCodes.ChildSafeguarding, "a child and signs of neglect or harm", child, Found(whole, NeglectWords));
        AddIf(signals, NeedCodes.ChildSafeguarding, "a child and signs of exploitation", child, Found(whole, ExploitationWords));
        AddIf(signals, NeedCodes.ChildSafeguarding, "county lines", Found(whole, CountyLines));
        AddIf(signals, NeedCodes.ChildSafeguarding, "a 16- or 17-year-old without a safe home", teenager, Found(whole, WithoutHomeWords));
        AddIf(signals, NeedCodes.ChildSafeguarding, "a child without a safe home", YoungTeenager().Matches(whole).Select(m => m.Value.Trim()).Distinct(StringComparer.Ordinal).ToList(), Found(whole, WithoutHomeWords));

        // Someone else's hold on an adult's money only counts within one clause: "her pension" in one sentence and
        // "the landlord is taking his time" in another say nothing about financial abuse.
        foreach (var clause in live)
        {
            AddIf(signals, NeedCodes.AdultSafeguarding, "someone else controlling an adult's money", Found(clause, OthersMoney), Found(clause, ControllingVerbs));
        }

        AddIf(signals, NeedCodes.AdultSafeguarding, "cuckooing: an adult's home taken over", Found(whole, CuckooingWords));
        AddIf(signals, NeedCodes.AdultSafeguarding, "self-neglect", Found(whole, SelfNeglectWords));
        AddIf(signals, NeedCodes.AdultSafeguarding, "confusion and being left unattended or soiled", Found(whole, ConfusionWords), Found(whole, UnattendedWords));
        AddIf(signals, NeedCodes.AdultSafeguarding, "violence, threats or abuse", Found(whole, ViolenceWords));
        AddIf(signals, NeedCodes.AdultSafeguarding, "an adult left unattended or unseen", Found(whole, LeftUnattendedWords));
        AddIf(signals, NeedCodes.AdultSafeguarding, "an adult with care needs and someone taking advantage", Found(whole, AdultWithNeedsWords), Found(whole, TakingAdvantageWords));

        return signals
            .GroupBy(s => s.Because, StringComparer.Ordinal)
            .Select(g => new SafeguardingSignal(g.First().Need, g.Key, g.SelectMany(s => s.Words).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    private static List<string> ChildMentions(string whole)
    {
        var text = whole;
        foreach (var adult in AdultRelatives)
        {
            text = text.Replace($" {adult} ", " ", StringComparison.Ordinal);
        }

        var words = Found(text, ChildWords);
        words.AddRange(ChildAge().Matches(text).Select(m => m.Value.Trim()));
        return words.Distinct(StringComparer.Ordinal).ToList();
    }

    private static readonly Phrases CountyLines = new(["county lines"]);

    private static List<string> Found(string padded, Phrases phrases) => phrases.FoundIn(padded);

    /// <summary>Phrases as written (what the agent is shown) beside their normalised, padded form, made once rather than on every suggestion.</summary>
    private sealed class Phrases(IReadOnlyList<string> written)
    {
        private readonly (string Written, string Padded)[] _phrases = written.Select(p => (p, $" {NeedSuggester.Normalise(p)} ")).ToArray();

        public List<string> FoundIn(string padded) => _phrases.Where(p => padded.Contains(p.Padded, StringComparison.Ordinal)).Select(p => p.Written).ToList();
    }

    private static void AddIf(List<SafeguardingSignal> signals, string need, string because, params List<string>[] groups)
    {
        if (groups.All(g => g.Count > 0))
        {
            signals.Add(new SafeguardingSignal(need, because, groups.SelectMany(g => g).Distinct(StringComparer.Ordinal).ToList()));
        }
    }
}
