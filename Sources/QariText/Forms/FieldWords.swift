/// What kind of form control a field is, as a listener is told it.
public enum FieldKind: String, Sendable, Codable, CaseIterable {
    case text, search, email, tel, url, number, password, date, datetime, month, week, time, range, color, file
    case checkbox, radio, radioGroup = "radio-group", select, listbox, textarea, button
}

/// The words a field's description is made of, in one language: declared once, one table per language.
///
/// Amazigh pages get the French table, as the reader button's own controls do there: the kinds have no settled
/// Tifinagh names yet, and a made-up term would be worse than a known French one.
public struct FieldWords: Sendable {
    /// The language these words are in (`fr`, `ar`).
    public let lang: String
    public let kinds: [FieldKind: String]
    public let required: String
    public let checked: String
    public let unchecked: String
    /// Said before a field's error message.
    public let error: String
    /// Said before the options of a list or a group of choices.
    public let options: String
    /// Said before what is chosen.
    public let chosen: String
    /// Said when nothing is chosen.
    public let nothingChosen: String
    /// The name of a submit or reset button that has none of its own (what browsers show).
    public let submit: String
    public let reset: String
    /// Between the parts of a description (after the label, between options).
    public let comma: String

    /// French: the portal's language of administration.
    public static let french = FieldWords(
        lang: "fr",
        kinds: [
            .text: "champ de texte", .search: "champ de recherche", .email: "adresse e-mail",
            .tel: "numéro de téléphone", .url: "adresse web", .number: "nombre", .password: "champ de mot de passe",
            .date: "date", .datetime: "date et heure", .month: "mois", .week: "semaine", .time: "heure",
            .range: "curseur", .color: "couleur", .file: "fichier", .checkbox: "case à cocher",
            .radio: "bouton radio", .radioGroup: "choix", .select: "liste de choix",
            .listbox: "liste à choix multiples", .textarea: "zone de texte", .button: "bouton",
        ],
        required: "obligatoire", checked: "coché", unchecked: "non coché", error: "Erreur :",
        options: "Choix possibles :", chosen: "Choisi :", nothingChosen: "aucun choix", submit: "Envoyer",
        reset: "Réinitialiser", comma: ", ")

    /// Arabic, in Modern Standard Arabic as the portal writes it.
    public static let arabic = FieldWords(
        lang: "ar",
        kinds: [
            .text: "حقل نص", .search: "حقل بحث", .email: "بريد إلكتروني", .tel: "رقم الهاتف", .url: "عنوان موقع",
            .number: "عدد", .password: "حقل كلمة المرور", .date: "تاريخ", .datetime: "تاريخ ووقت", .month: "شهر",
            .week: "أسبوع", .time: "وقت", .range: "مؤشر", .color: "لون", .file: "ملف", .checkbox: "خانة اختيار",
            .radio: "زر اختيار", .radioGroup: "اختيار", .select: "قائمة اختيار", .listbox: "قائمة متعددة الاختيارات",
            .textarea: "منطقة نص", .button: "زر",
        ],
        required: "إجباري", checked: "محدد", unchecked: "غير محدد", error: "خطأ:", options: "الاختيارات الممكنة:",
        chosen: "المختار:", nothingChosen: "لا شيء مختار", submit: "إرسال",
        reset: "إعادة تعيين", comma: "، ")

    /// The words for a page or field language (`ar` → Arabic; French for every other).
    public static func forLanguage(_ tag: String) -> FieldWords {
        Languages.primary(tag) == "ar" ? arabic : french
    }

    /// The kind in words.
    public func word(_ kind: FieldKind) -> String { kinds[kind] ?? kinds[.text]! }
}
