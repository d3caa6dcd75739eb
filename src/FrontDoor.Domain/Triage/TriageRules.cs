namespace FrontDoor.Domain.Triage;

/// <summary>
/// Phrase rules are an aid to the officer, never a decision: they only suggest needs, and the officer
/// records what was actually assessed. Bare words that are common in harmless sentences ("heating",
/// "school", "fall") are avoided in favour of phrases that carry the need.
/// </summary>
public sealed record TriageRules(IReadOnlyList<PhraseRule> Rules)
{
    public static TriageRules Default { get; } = new(
    [
        new PhraseRule(NeedCodes.ChildSafeguarding,
        [
            "child has bruises", "bruises on the child", "bruises on my son", "bruises on my daughter",
            "hits the kids", "hitting the kids", "hits the children", "hitting the children",
            "scared to go home", "left home alone", "left alone at home", "child neglect", "neglected child",
            "not being fed", "grooming", "groomed", "child at risk", "children at risk", "child protection",
            "sexual abuse",
        ]),
        new PhraseRule(NeedCodes.AdultSafeguarding,
        [
            "bruises", "bruising", "unexplained injuries", "domestic abuse", "domestic violence",
            "violent partner", "abusive partner", "fleeing", "fled", "hits me", "hit me",
            "seems frightened", "frightened of", "scared of", "afraid of", "financial abuse",
            "taking her money", "taking his money", "took her money", "took his money",
            "self neglect", "exploited", "exploitation", "cuckooing", "elder abuse", "coercive control",
        ]),
        new PhraseRule(NeedCodes.Homelessness,
        [
            "homeless", "sleeping rough", "rough sleeping", "sleeping in my car", "sleeping in the car",
            "sofa surfing", "nowhere to stay", "nowhere to live", "nowhere to go", "no fixed abode",
            "eviction notice", "eviction", "evict", "evicted", "evicting", "section 21", "notice to quit",
            "has to leave", "have to leave", "asked to leave", "kicked out", "thrown out",
            "somewhere safe", "somewhere to stay tonight", "repossession", "repossessed",
            "nowhere to sleep", "sleeping in a tent", "in a tent", "on a friend's settee", "on a friends sofa", "on a mate's sofa", "no address", "released from prison", "leaving prison", "hostel", "temporary accommodation", "s21", "be out by", "told to get out", "told me to leave", "told her to leave", "told him to leave", "put out",
        ]),
        new PhraseRule(NeedCodes.HousingAdvice,
        [
            "rent arrears", "behind on rent", "behind on the rent", "behind with rent", "behind with the rent",
            "landlord", "tenancy", "tenancy rights", "housing association", "housing register",
            "council house", "damp", "mould", "repairs", "rent increase", "put the rent up", "overcrowded",
            "disrepair", "leaking roof", "roof leaks", "broken boiler", "boiler is broken", "no hot water", "black mould", "condensation", "bedroom tax", "under occupancy", "discretionary housing payment", "housing register", "overcrowding",
        ]),
        new PhraseRule(NeedCodes.MoneyAndDebt,
        [
            "debt", "debts", "in debt", "arrears", "council tax arrears", "bailiff", "bailiffs",
            "enforcement agent", "loan shark", "payday loan", "credit card", "overdraft",
            "can't pay", "cannot pay", "can't afford", "cannot afford", "universal credit",
            "benefits stopped", "sanctioned", "benefit sanction", "lost my job", "lost his job",
            "lost her job", "made redundant", "no money", "money worries", "carer's allowance", "pip",
            "sanction", "uc advance", "advance payment", "deductions", "overpayment", "pip assessment", "pip refused", "turned down for pip", "mandatory reconsideration", "council tax arrears", "court summons", "liability order", "enforcement", "behind on bills", "behind with bills", "no recourse to public funds", "nrpf", "hours cut", "income dropped",
        ]),
        new PhraseRule(NeedCodes.FoodAndFuel,
        [
            "no food", "no heating", "heating off", "heating is off", "no gas", "no electric",
            "no electricity", "meter has run out", "meter run out", "top up the meter", "top up the gas",
            "top up the electric", "prepayment meter", "food bank", "foodbank", "food parcel",
            "skipping meals", "skip meals", "skipped meals", "going without food", "going hungry",
            "hungry", "nothing to eat", "nothing in the cupboards", "empty cupboards",
            "can't afford to heat", "cannot afford to heat", "cold home", "fuel poverty", "energy bills",
            "emergency credit", "meter's run out", "run out of gas", "run out of electric", "no gas or electric", "can't heat", "cannot heat", "freezing cold", "food bank voucher", "no food in", "go without", "living on toast",
        ]),
        new PhraseRule(NeedCodes.CarerSupport,
        [
            "unpaid carer", "i'm a carer", "i am a carer", "as a carer", "carer for", "young carer",
            "carer's assessment", "carers assessment", "carer's allowance", "caring for", "care for my",
            "look after my", "looking after my", "respite", "no break", "need a break", "exhausted",
            "burnt out", "burned out",
            "looks after her husband", "looks after his wife", "looks after her mum", "looks after his mum", "worn out", "shattered", "end of my tether", "end of her tether", "running on empty", "no time for myself", "carers allowance",
        ]),
        new PhraseRule(NeedCodes.CareAndSupport,
        [
            "dementia", "alzheimer's", "alzheimers", "memory loss", "getting lost", "keeps falling",
            "had a fall", "after a fall", "fell over", "falls at home", "struggling to wash",
            "struggling to dress", "can't wash", "help washing", "help getting dressed",
            "in and out of the bath", "in and out of bath", "personal care", "mobility", "walking frame",
            "wheelchair", "stairlift", "grab rails", "care package", "home care", "care home",
            "discharged from hospital", "hospital discharge", "not coping at home", "can't manage at home",
            "parkinson's", "stroke", "disabled", "disability",
            "can't manage the stairs", "can't manage stairs", "can't do the stairs", "unsteady on her feet", "unsteady on his feet", "meals on wheels", "forgetting his tablets", "forgetting her tablets", "memory is going", "memory's going", "occupational therapist", "adaptations", "key safe", "commode", "hoist", "bed bound", "housebound", "can't get to the toilet", "carers visit", "care agency", "package of care", "help at home", "frail", "home from hospital", "out of hospital",
        ]),
        new PhraseRule(NeedCodes.FamilySupport,
        [
            "school refusal", "refusing school", "refusing to go to school", "refuses to go to school",
            "won't go to school", "not going to school", "not attending school", "excluded from school",
            "truanting", "parenting", "parenting support", "struggling with my son",
            "struggling with my daughter", "breaking point", "arguments at home", "ehcp",
            "special educational needs", "adhd", "autism assessment",
            "school attendance", "attendance officer", "behaviour at home", "kicking off", "meltdowns", "can't control him", "can't control her", "out of control", "kinship care", "special guardianship", "raising her grandchildren", "raising my grandchildren", "bringing up her grandchildren", "care leaver", "leaving care", "personal adviser", "camhs", "won't go to school",
        ]),
        new PhraseRule(NeedCodes.IsolationAndWellbeing,
        [
            "lonely", "loneliness", "isolated", "isolation", "on my own", "no one to talk to",
            "nobody to talk to", "don't see anyone", "doesn't see anyone", "no friends", "bereaved",
            "bereavement", "widowed", "since my wife died", "since my husband died", "lost my wife",
            "lost my husband", "feeling low", "low mood", "depressed", "anxiety", "befriending",
            "meet people", "get out more",
            "only person i talk to", "only person she talks to", "only person he talks to", "no visitors", "hasn't spoken to anyone", "not spoken to anyone", "rattling round", "all on my own", "on her own all day", "on his own all day", "grieving", "grief", "a chat",
        ]),
    ]);
}
