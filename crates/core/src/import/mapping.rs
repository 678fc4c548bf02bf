//! Which column goes into which lead field. First by name: a synonyms table per language
//! (English with the exports of common CRMs and address books, German, French, Spanish,
//! Portuguese, Italian, Dutch, Japanese, Chinese, Korean, Russian, Polish, Turkish, Swedish,
//! Czech) and names whose meaning depends on their neighbours ("Nom" beside "Prénom" is the last
//! name). Then by content (see `content`): a column that holds emails is an email column,
//! whatever its header says. Every column says why it went where it went.

use super::content::{sniff_columns, ColumnContent, ContentKind};
use super::dates::DateOrder;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;
use ts_rs::TS;

/// A lead field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldTarget {
    FirstName,
    LastName,
    /// Split into first and last name, in the order the value's script uses (CJK: family first).
    FullName,
    /// A full name written family name first ("Nom & prénom", "Last, First", 氏名).
    FullNameFamilyFirst,
    Email,
    Email2,
    Phone,
    Phone2,
    Company,
    JobTitle,
    Website,
    Source,
    Stage,
    Status,
    Score,
    Budget,
    Authority,
    Need,
    Timeline,
    Notes,
    CreatedAt,
    ExternalId,
    /// A JSON object of custom fields (what export writes).
    CustomFields,
    /// Kept as a custom field named after the column.
    Custom,
    Skip,
}

impl FieldTarget {
    /// The header export writes; auto-mapping reads it back to the same target.
    pub fn label(self) -> &'static str {
        use FieldTarget::*;
        match self {
            FirstName => "First Name",
            LastName => "Last Name",
            FullName => "Full Name",
            FullNameFamilyFirst => "Last Name First Name",
            Email => "Email",
            Email2 => "Email 2",
            Phone => "Phone",
            Phone2 => "Phone 2",
            Company => "Company",
            JobTitle => "Job Title",
            Website => "Website",
            Source => "Source",
            Stage => "Stage",
            Status => "Lead Status Code",
            Score => "Score",
            Budget => "Budget",
            Authority => "Authority",
            Need => "Need",
            Timeline => "Timeline",
            Notes => "Notes",
            CreatedAt => "Created At",
            ExternalId => "External ID",
            CustomFields => "Custom Fields",
            Custom => "Custom field",
            Skip => "Skip",
        }
    }

    /// Targets whose values have a shape of their own: a name does not move them to another
    /// target because of their content.
    fn is_typed(self) -> bool {
        use FieldTarget::*;
        matches!(self, Email | Email2 | Phone | Phone2 | Website | CreatedAt | ExternalId | Score | Status | CustomFields)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    /// The column's (repaired) header.
    pub header: String,
    pub target: FieldTarget,
}

/// How the columns of one file map to lead fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    pub columns: Vec<ColumnMapping>,
    /// The date order of the file: "ymd", "mdy" or "dmy"; None = detect from the values (and
    /// ask when they read both ways).
    pub date_order: Option<String>,
}

/// Lower-case letters and digits only: "E-Mail 1 - Value" → "email1value", "姓（カタカナ）" → "姓カタカナ".
pub fn normalize_header(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A language whose headers the synonyms table knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    German,
    French,
    Spanish,
    Portuguese,
    Italian,
    Dutch,
    Japanese,
    Chinese,
    Korean,
    Russian,
    Polish,
    Turkish,
    Swedish,
    Czech,
}

impl Language {
    const ALL: [Language; 15] = [
        L::English, L::German, L::French, L::Spanish, L::Portuguese, L::Italian, L::Dutch, L::Japanese, L::Chinese, L::Korean,
        L::Russian, L::Polish, L::Turkish, L::Swedish, L::Czech,
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::German => "German",
            Self::French => "French",
            Self::Spanish => "Spanish",
            Self::Portuguese => "Portuguese",
            Self::Italian => "Italian",
            Self::Dutch => "Dutch",
            Self::Japanese => "Japanese",
            Self::Chinese => "Chinese",
            Self::Korean => "Korean",
            Self::Russian => "Russian",
            Self::Polish => "Polish",
            Self::Turkish => "Turkish",
            Self::Swedish => "Swedish",
            Self::Czech => "Czech",
        }
    }

    /// The country a national phone number in a file of this language most likely belongs to
    /// (tried when the store's own region does not read the number). English: none.
    pub fn phone_region(self) -> Option<phonenumber::country::Id> {
        use phonenumber::country::Id;
        Some(match self {
            Self::English => return None,
            Self::German => Id::DE,
            Self::French => Id::FR,
            Self::Spanish => Id::ES,
            Self::Portuguese => Id::PT,
            Self::Italian => Id::IT,
            Self::Dutch => Id::NL,
            Self::Japanese => Id::JP,
            Self::Chinese => Id::CN,
            Self::Korean => Id::KR,
            Self::Russian => Id::RU,
            Self::Polish => Id::PL,
            Self::Turkish => Id::TR,
            Self::Swedish => Id::SE,
            Self::Czech => Id::CZ,
        })
    }

    /// The order of day and month its speakers write when the year comes last. English has
    /// none (3/4/2021 is March in the US and April in the UK); Japanese, Chinese and Korean
    /// write the year first, so a year-last date there is no evidence either.
    pub fn date_order(self) -> Option<DateOrder> {
        match self {
            Self::English | Self::Japanese | Self::Chinese | Self::Korean => None,
            _ => Some(DateOrder::Dmy),
        }
    }
}

use FieldTarget as T;
use Language as L;

/// The header names of one language, by target.
type Synonyms = &'static [(FieldTarget, &'static [&'static str])];

/// Synonyms per language, already normalized. A word may appear under several languages (it
/// then counts for each when the file's language is guessed) but always with one target.
const SYNONYMS: &[(Language, Synonyms)] = &[
    (L::English, &[
        (T::FirstName, &["firstname", "first", "givenname", "forename", "fname", "contactfirstname", "given", "ngiven"]),
        (T::LastName, &["lastname", "last", "surname", "familyname", "lname", "contactlastname", "family", "nfamily"]),
        (T::FullName, &["fullname", "contactname", "contact", "displayname", "personname", "leadname", "nfn"]),
        (T::FullNameFamilyFirst, &["lastnamefirstname", "surnamefirstname", "familynamegivenname", "lastfirst"]),
        (T::Email, &[
            "email", "emailaddress", "email1", "email1value", "emailaddress1", "primaryemail", "workemail", "businessemail", "mail",
            "contactemail", "emailid", "emailaddresses", "emailwork", "email1address",
        ]),
        (T::Email2, &[
            "email2", "email2value", "email2address", "emailaddress2", "secondaryemail", "otheremail", "personalemail",
            "alternateemail", "alternativeemail", "privateemail", "homeemail", "emailhome",
        ]),
        (T::Phone, &[
            "phone", "phonenumber", "phone1", "phone1value", "telephone", "tel", "businessphone", "workphone", "primaryphone",
            "officephone", "contactphone", "telwork", "mainphone", "telephonenumber", "contactnumber", "phonework",
        ]),
        (T::Phone2, &[
            "phone2", "phone2value", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cell", "cellphone",
            "otherphone", "homephone", "secondaryphone", "telcell", "cellnumber", "mobilephone1",
        ]),
        (T::Company, &[
            "company", "companyname", "organization", "organisation", "organizationname", "organisationname", "account",
            "accountname", "organization1name", "employer", "business", "orgname", "org",
        ]),
        (T::JobTitle, &["title", "jobtitle", "position", "role", "jobrole", "designation", "organization1title", "occupation"]),
        (T::Website, &["website", "websiteurl", "web", "url", "homepage", "webpage", "website1value", "companywebsite", "webpage1", "profileurl"]),
        (T::Source, &["source", "leadsource", "originalsource", "channel", "origin"]),
        (T::Stage, &["stage", "leadstage", "dealstage", "lifecyclestage", "pipelinestage", "salesstage", "phase", "leadstatus"]),
        (T::Status, &["leadstatuscode"]),
        (T::Score, &["score", "leadscore", "rating"]),
        (T::Budget, &["budget"]),
        (T::Authority, &["authority", "decisionmaker"]),
        (T::Need, &["need", "needs"]),
        (T::Timeline, &["timeline", "timeframe"]),
        (T::Notes, &["notes", "comments", "comment", "remarks", "description", "memo", "note", "publicnotes"]),
        (T::CreatedAt, &[
            "created", "createdat", "createddate", "createdate", "datecreated", "creationdate", "createdtime", "createdon",
            "connectedon", "dateadded", "signupdate", "registrationdate", "creationtime",
        ]),
        (T::ExternalId, &[
            "externalid", "id", "recordid", "leadid", "contactid", "accountid", "crmid", "zohoid", "personid", "customerid",
            "clientid", "memberid", "idnumber",
        ]),
        (T::CustomFields, &["customfields"]),
    ]),
    (L::German, &[
        (T::FirstName, &["vorname", "rufname"]),
        (T::LastName, &["nachname", "familienname", "zuname"]),
        (T::FullName, &["vollständigername", "vollername"]),
        (T::Email, &["emailadresse", "arbeitemail", "emailgeschäftlich", "emailarbeit"]),
        (T::Email2, &["emailprivat", "email2adresse", "privatemail", "andereemail"]),
        (T::Phone, &["telefon", "telefonnummer", "telefongeschäftlich", "arbeittelefon", "telefonarbeit", "haupttelefon"]),
        (T::Phone2, &["mobil", "handy", "mobiltelefon", "mobilnummer", "handynummer"]),
        (T::Company, &["firma", "firmenname", "unternehmen", "organisation", "arbeitgeber"]),
        (T::JobTitle, &["berufsbezeichnung", "funktion", "beruf", "stellung"]),
        (T::Website, &["webseite", "internetseite", "homepage", "internetadresse"]),
        (T::Source, &["quelle", "herkunft", "leadquelle"]),
        (T::Stage, &["phase", "stufe"]),
        (T::Score, &["punkte", "bewertung"]),
        (T::Authority, &["entscheider"]),
        (T::Need, &["bedarf"]),
        (T::Timeline, &["zeitrahmen", "zeitplan"]),
        (T::Notes, &["notizen", "notiz", "bemerkungen", "bemerkung", "beschreibung", "kommentar", "anmerkungen"]),
        (T::CreatedAt, &["erstelltam", "erstellt", "erstelldatum", "angelegtam", "anlagedatum"]),
        (T::ExternalId, &["kundennummer", "referenz", "kundennr"]),
    ]),
    (L::French, &[
        (T::FirstName, &["prénom", "prenom"]),
        (T::LastName, &["nomdefamille"]),
        (T::FullName, &["nomcomplet", "prénomnom", "prenomnom", "prénometnom", "prenometnom"]),
        (T::FullNameFamilyFirst, &["nomprénom", "nomprenom", "nometprénom", "nometprenom"]),
        (T::Email, &["courriel", "adresseemail", "adressecourriel", "mél", "adresseélectronique", "adresseelectronique", "adressemail"]),
        (T::Phone, &["téléphone", "telephone", "numérodetéléphone", "numerodetelephone", "tél", "tel", "téléphonefixe", "téléphonebureau"]),
        (T::Phone2, &["portable", "téléphoneportable", "telephoneportable", "numérodeportable", "mobile"]),
        (T::Company, &["société", "societe", "entreprise", "organisme", "raisonsociale"]),
        (T::JobTitle, &["titre", "poste", "fonction", "intitulédeposte"]),
        (T::Website, &["siteweb", "siteinternet"]),
        (T::Source, &["origine", "sourcedulead"]),
        (T::Stage, &["étape", "etape", "statut"]),
        (T::Need, &["besoin"]),
        (T::Timeline, &["échéance"]),
        (T::Notes, &["commentaires", "commentaire", "remarques", "observations"]),
        (T::CreatedAt, &["datedecréation", "datedecreation", "créé", "créele", "datedinscription", "dateinscription"]),
        (T::ExternalId, &["numérodemembre", "numerodemembre", "identifiant", "numéroclient", "numeroclient"]),
    ]),
    (L::Spanish, &[
        (T::FirstName, &["nombre", "nombredepila"]),
        (T::LastName, &["apellido", "apellidos", "primerapellido"]),
        (T::FullName, &["nombrecompleto"]),
        (T::FullNameFamilyFirst, &["apellidosynombre", "apellidosnombre"]),
        (T::Email, &["correo", "correoelectrónico", "correoelectronico"]),
        (T::Phone, &["teléfono", "telefono", "teléfonofijo"]),
        (T::Phone2, &["móvil", "movil", "celular", "teléfonomóvil", "telefonomovil"]),
        (T::Company, &["empresa", "compañía", "compania", "organización"]),
        (T::JobTitle, &["cargo", "puesto"]),
        (T::Website, &["sitioweb", "paginaweb", "páginaweb"]),
        (T::Source, &["fuente", "origen"]),
        (T::Stage, &["etapa", "estado", "fase"]),
        (T::Score, &["puntuación", "puntuacion"]),
        (T::Budget, &["presupuesto"]),
        (T::Notes, &["notas", "descripción", "descripcion", "comentarios"]),
        (T::CreatedAt, &["fechadecreación", "fechadecreacion", "creado", "fechaderegistro"]),
    ]),
    (L::Portuguese, &[
        (T::FirstName, &["primeironome", "nomeproprio", "nomepróprio"]),
        (T::LastName, &["sobrenome", "últimonome", "ultimonome"]),
        (T::FullName, &["nomecompleto"]),
        (T::Email, &["endereçodeemail", "enderecodeemail"]),
        (T::Phone, &["telefone"]),
        (T::Phone2, &["celular", "telemóvel", "telemovel"]),
        (T::Company, &["empresa"]),
        (T::JobTitle, &["cargo"]),
        (T::Website, &["sítio", "sitio", "site"]),
        (T::Source, &["origem", "fonte"]),
        (T::Score, &["pontuação", "pontuacao"]),
        (T::Budget, &["orçamento", "orcamento"]),
        (T::Notes, &["observações", "observacoes", "descrição", "descricao"]),
        (T::CreatedAt, &["datadecriação", "datadecriacao", "criadoem"]),
    ]),
    (L::Italian, &[
        (T::LastName, &["cognome"]),
        (T::FullName, &["nominativo"]),
        (T::FullNameFamilyFirst, &["cognomenome", "cognomeenome"]),
        (T::Email, &["indirizzoemail", "postaelettronica"]),
        (T::Phone, &["telefono"]),
        (T::Phone2, &["cellulare"]),
        (T::Company, &["azienda", "società", "ragionesociale"]),
        (T::JobTitle, &["funzione", "ruolo", "qualifica"]),
        (T::Website, &["sitoweb"]),
        (T::Source, &["fonte", "origine"]),
        (T::Stage, &["fase", "stato"]),
        (T::Score, &["punteggio"]),
        (T::Timeline, &["calendario"]),
        (T::Notes, &["note", "commenti"]),
        (T::CreatedAt, &["datadicreazione", "creatoil"]),
    ]),
    (L::Dutch, &[
        (T::FirstName, &["voornaam", "roepnaam"]),
        (T::LastName, &["achternaam"]),
        (T::FullName, &["volledigenaam"]),
        (T::Email, &["emailadres"]),
        (T::Phone, &["telefoon", "telefoonnummer"]),
        (T::Phone2, &["mobiel", "mobielnummer", "mobielenummer"]),
        (T::Company, &["bedrijf", "bedrijfsnaam"]),
        (T::JobTitle, &["functie", "functietitel"]),
        (T::Source, &["bron", "kanaal"]),
        (T::Notes, &["opmerkingen", "notities", "omschrijving"]),
        (T::CreatedAt, &["aangemaakt", "aangemaaktop"]),
    ]),
    // Japanese: 姓 is the family name and 名 the given name; 氏名/名前 are written family first.
    (L::Japanese, &[
        (T::FirstName, &["名", "下の名前"]),
        (T::LastName, &["姓", "苗字"]),
        (T::FullNameFamilyFirst, &["氏名", "名前", "お名前", "フルネーム"]),
        (T::Email, &["メールアドレス", "メール", "eメール", "eメールアドレス", "電子メールアドレス", "emailアドレス", "pcメール"]),
        (T::Email2, &["電子メール2アドレス", "携帯メール", "携帯メールアドレス"]),
        (T::Phone, &["電話番号", "電話", "会社電話", "勤務先電話"]),
        (T::Phone2, &["携帯電話", "携帯", "携帯電話番号", "携帯番号"]),
        (T::Company, &["会社名", "会社", "勤務先", "企業名", "所属"]),
        (T::JobTitle, &["役職", "職業"]),
        (T::Website, &["ホームページ", "webページ", "ウェブサイト"]),
        (T::Source, &["流入元"]),
        (T::Notes, &["備考", "メモ", "コメント"]),
        (T::CreatedAt, &["作成日", "登録日", "作成日時", "登録日時"]),
        (T::ExternalId, &["id番号"]),
    ]),
    // Chinese names are family first too: 姓名 is split that way.
    (L::Chinese, &[
        (T::FirstName, &["名"]),
        (T::LastName, &["姓", "姓氏"]),
        (T::FullNameFamilyFirst, &["姓名", "全名"]),
        (T::Email, &["电子邮件", "电子邮箱", "邮箱", "邮件", "電子郵件", "郵箱", "電郵", "电邮", "邮件地址", "email地址"]),
        (T::Phone, &["电话", "电话号码", "電話", "電話號碼", "联系电话", "座机"]),
        (T::Phone2, &["手机", "手机号", "手机号码", "手機", "移动电话", "行動電話"]),
        (T::Company, &["公司", "公司名称", "公司名稱", "单位", "企业"]),
        (T::JobTitle, &["职位", "職位", "职务", "職務", "职称"]),
        (T::Website, &["网站", "網站", "网址", "網址", "主页"]),
        (T::Source, &["来源", "來源", "线索来源"]),
        (T::Stage, &["阶段", "階段"]),
        (T::Notes, &["备注", "備註", "说明"]),
        (T::CreatedAt, &["创建时间", "创建日期", "建立時間", "创建于", "添加时间"]),
        (T::ExternalId, &["编号", "客户编号"]),
    ]),
    (L::Korean, &[
        (T::LastName, &["성"]),
        (T::FullNameFamilyFirst, &["성명", "성함", "전체이름"]),
        (T::Email, &["이메일", "이메일주소", "메일", "전자우편"]),
        (T::Phone, &["전화", "전화번호", "연락처"]),
        (T::Phone2, &["휴대폰", "휴대전화", "핸드폰", "휴대폰번호"]),
        (T::Company, &["회사", "회사명", "소속", "직장"]),
        (T::JobTitle, &["직위", "직책", "직함"]),
        (T::Website, &["웹사이트", "홈페이지"]),
        (T::Source, &["출처", "유입경로"]),
        (T::Notes, &["메모", "비고"]),
        (T::CreatedAt, &["생성일", "등록일", "가입일"]),
    ]),
    (L::Russian, &[
        (T::FirstName, &["имя"]),
        (T::LastName, &["фамилия"]),
        (T::FullNameFamilyFirst, &["фио"]),
        (T::Email, &["электроннаяпочта", "почта", "элпочта", "емейл", "имейл", "адресэлектроннойпочты"]),
        (T::Phone, &["телефон", "номертелефона", "рабочийтелефон"]),
        (T::Phone2, &["мобильный", "мобильныйтелефон", "сотовый"]),
        (T::Company, &["компания", "организация", "названиекомпании", "фирма"]),
        (T::JobTitle, &["должность"]),
        (T::Website, &["сайт", "вебсайт"]),
        (T::Source, &["источник"]),
        (T::Stage, &["этап", "стадия"]),
        (T::Notes, &["примечание", "примечания", "комментарий", "заметки"]),
        (T::CreatedAt, &["датасоздания", "создан", "создано"]),
    ]),
    (L::Polish, &[
        (T::FirstName, &["imię", "imie"]),
        (T::LastName, &["nazwisko"]),
        (T::FullName, &["imięinazwisko", "imieinazwisko"]),
        (T::Email, &["adresemail", "pocztaelektroniczna"]),
        (T::Phone, &["telefon", "numertelefonu", "nrtelefonu"]),
        (T::Phone2, &["telefonkomórkowy", "komórka", "komorka"]),
        (T::Company, &["firma", "nazwafirmy", "przedsiębiorstwo"]),
        (T::JobTitle, &["stanowisko"]),
        (T::Website, &["stronawww", "stronainternetowa", "www"]),
        (T::Source, &["źródło"]),
        (T::Stage, &["etap"]),
        (T::Notes, &["uwagi", "notatki", "komentarz"]),
        (T::CreatedAt, &["datautworzenia", "utworzono"]),
    ]),
    (L::Turkish, &[
        (T::FirstName, &["ad", "adı"]),
        (T::LastName, &["soyad", "soyadı", "soyadi"]),
        (T::FullName, &["adsoyad", "adısoyadı", "adsoyadı"]),
        (T::Email, &["eposta", "epostaadresi", "elektronikposta"]),
        (T::Phone, &["telefon", "telefonnumarası", "telefonno"]),
        (T::Phone2, &["cep", "ceptelefonu", "gsm", "cepno"]),
        (T::Company, &["şirket", "firma", "şirketadı", "kurum"]),
        (T::JobTitle, &["unvan", "ünvan", "görev", "pozisyon"]),
        (T::Website, &["websitesi", "internetsitesi"]),
        (T::Source, &["kaynak"]),
        (T::Stage, &["aşama"]),
        (T::Notes, &["notlar", "açıklama"]),
        (T::CreatedAt, &["oluşturmatarihi", "kayıttarihi"]),
    ]),
    (L::Swedish, &[
        (T::FirstName, &["förnamn"]),
        (T::LastName, &["efternamn"]),
        (T::FullName, &["fullständigtnamn"]),
        (T::Email, &["epost", "epostadress", "mejl", "mejladress"]),
        (T::Phone, &["telefon", "telefonnummer", "arbetstelefon"]),
        (T::Phone2, &["mobil", "mobiltelefon", "mobilnummer"]),
        (T::Company, &["företag", "företagsnamn", "organisation"]),
        (T::JobTitle, &["titel", "befattning", "roll"]),
        (T::Website, &["webbplats", "hemsida"]),
        (T::Source, &["källa"]),
        (T::Stage, &["steg", "fas"]),
        (T::Notes, &["anteckningar", "anteckning", "kommentar"]),
        (T::CreatedAt, &["skapad", "skapaddatum", "skapades"]),
    ]),
    (L::Czech, &[
        (T::LastName, &["příjmení", "prijmeni"]),
        (T::FullName, &["jménoapříjmení", "jmenoaprijmeni", "celéjméno"]),
        (T::Email, &["emailováadresa"]),
        (T::Phone, &["telefon", "telefonníčíslo"]),
        (T::Phone2, &["mobil", "mobilnítelefon"]),
        (T::Company, &["firma", "společnost", "názevfirmy"]),
        (T::JobTitle, &["pozice", "funkce"]),
        (T::Website, &["webovástránka", "web"]),
        (T::Source, &["zdroj"]),
        (T::Stage, &["fáze"]),
        (T::Notes, &["poznámka", "poznámky"]),
        (T::CreatedAt, &["vytvořeno", "datumvytvoření"]),
    ]),
];

/// Names whose meaning depends on their neighbours: beside a first-name column they are the last
/// name ("Name" beside "Vorname", "Nom" beside "Prénom"), beside a last-name column the first
/// name ("Nome" beside "Cognome", 名字 beside 姓), beside both something else, alone a full name.
const BARE_NAMES: &[(&str, &[Language])] = &[
    ("name", &[L::English, L::German]),
    ("nom", &[L::French]),
    ("naam", &[L::Dutch]),
    ("nome", &[L::Italian, L::Portuguese]),
    ("namn", &[L::Swedish]),
    ("jméno", &[L::Czech]),
    ("jmeno", &[L::Czech]),
    ("isim", &[L::Turkish]),
    ("이름", &[L::Korean]),
    ("名字", &[L::Chinese, L::Japanese]),
];

/// Parts of headers that name something that is not a lead field — a fax, a postal code, a
/// birthday — so a column named so is kept as a custom field even when its values look like
/// phone numbers or dates.
const NOT_LEAD_FIELDS: &[&str] = &[
    "fax", "faks", "факс", "ファックス", "传真", "傳真", "팩스", "zip", "postal", "postcode", "plz", "postleitzahl", "codepostal",
    "códigopostal", "codigopostal", "postnummer", "kodpocztowy", "postakodu", "psč", "индекс", "郵便番号", "邮编", "邮政编码",
    "우편번호", "birth", "geburt", "naissance", "nacimiento", "nascimento", "nascita", "urodzenia", "рождения", "doğum", "födelse",
    "narození", "誕生日", "生年月日", "生日", "出生", "생년월일", "생일", "anniversary", "jahrestag", "記念日", "modified", "updated",
    "changed", "geändert", "lastsync", "vatnumber", "vatid", "iban", "ustid", "taxid", "pager", "telex", "isdn",
];

/// Header parts that mark a name's reading (phonetic spelling): kept as a custom field.
const READINGS: &[&str] = &["カタカナ", "フリガナ", "ふりがな", "よみがな", "ヨミ", "yomi", "ausspracheform", "phonetic", "pronunciation"];

struct Synonym {
    target: FieldTarget,
    languages: Vec<Language>,
}

static INDEX: LazyLock<HashMap<&'static str, Synonym>> = LazyLock::new(|| {
    let mut index: HashMap<&'static str, Synonym> = HashMap::new();
    for (language, table) in SYNONYMS {
        for (target, names) in *table {
            for name in *names {
                let entry = index.entry(name).or_insert(Synonym { target: *target, languages: vec![] });
                if !entry.languages.contains(language) {
                    entry.languages.push(*language);
                }
            }
        }
    }
    for (name, languages) in BARE_NAMES {
        index.insert(name, Synonym { target: T::FullName, languages: languages.to_vec() });
    }
    index
});

/// A header whose non-ASCII letters were lost to U+FFFD ("Telefon gesch�ftlich") matches the
/// synonym that is the same once both lose their non-ASCII letters, if exactly one target does.
fn target_despite_mojibake(header: &str) -> Option<FieldTarget> {
    let ascii = |s: &str| -> String { normalize_header(s).chars().filter(char::is_ascii).collect() };
    let key = ascii(header);
    if key.len() < 3 {
        return None;
    }
    let mut found = INDEX.iter().filter(|(name, _)| !name.is_ascii() && ascii(name) == key).map(|(_, s)| s.target);
    let first = found.next()?;
    found.all(|t| t == first).then_some(first)
}

fn is_bare_name(key: &str) -> bool {
    BARE_NAMES.iter().any(|(name, _)| *name == key)
}

/// The target a header means on its own, if it is a known synonym.
pub fn target_for_header(header: &str) -> Option<FieldTarget> {
    INDEX.get(normalize_header(header).as_str()).map(|s| s.target)
}

/// The language most headers are in (ties: the one first in `Language`'s order, English last
/// among equals so that "Telefon" beside English vendor names still reads as German).
pub fn header_language(headers: &[String]) -> Option<Language> {
    let mut hits: Vec<(Language, usize)> = Vec::new();
    for header in headers {
        if let Some(s) = INDEX.get(normalize_header(header).as_str()) {
            for language in &s.languages {
                match hits.iter_mut().find(|(l, _)| l == language) {
                    Some((_, n)) => *n += 1,
                    None => hits.push((*language, 1)),
                }
            }
        }
    }
    // CJK headers without a synonym still say which script the file is in.
    let kana = headers.iter().any(|h| h.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}')));
    let hangul = headers.iter().any(|h| h.chars().any(|c| matches!(c, '\u{ac00}'..='\u{d7af}')));
    if kana {
        return Some(L::Japanese);
    }
    if hangul {
        return Some(L::Korean);
    }
    let best = hits.iter().map(|(_, n)| *n).max()?;
    let mut tied: Vec<Language> = hits.iter().filter(|(_, n)| *n == best).map(|(l, _)| *l).collect();
    tied.sort_by_key(|l| (*l == L::English, *l as u8));
    tied.first().copied()
}

fn hint_rank(header: &str) -> u8 {
    // Among columns of one kind found by content, work addresses come first, private ones last.
    let key = normalize_header(header);
    let secondary = ["privat", "private", "home", "personal", "other", "andere", "weitere", "自宅", "その他", "个人", "개인", "2"];
    let primary = ["work", "business", "arbeit", "geschäftlich", "office", "main", "primary", "会社", "勤務", "工作", "회사"];
    if primary.iter().any(|p| key.contains(p)) {
        0
    } else if secondary.iter().any(|s| key.contains(s)) {
        2
    } else {
        1
    }
}

/// Why a column goes where it goes, shown beside it in the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoMapping {
    pub mapping: Mapping,
    /// One per column: "by name", "by content: 97% emails", …
    pub reasons: Vec<String>,
    /// The language of the headers, if any header is known.
    pub language: Option<Language>,
    /// What each column's first values hold.
    pub content: Vec<ColumnContent>,
}

/// Maps every column: known synonyms to their field, the rest to custom fields. A target that
/// two columns claim goes to the first; a second email or phone becomes Email 2 / Phone 2.
pub fn auto_map(headers: &[String], samples: &[Vec<String>]) -> Mapping {
    explain_map(headers, samples).mapping
}

/// As `auto_map`, with the reason for each column. Columns are mapped by name first; then
/// columns no name placed take the email, phone, website or date their values show. `samples`
/// (the first rows) also decide the one ambiguous name: a "Status" column holding Leadbook's
/// statuses is the status, otherwise (New, Contacted, …) it is the pipeline stage.
pub fn explain_map(headers: &[String], samples: &[Vec<String>]) -> AutoMapping {
    let content = sniff_columns(headers.len(), samples);
    let language = header_language(headers);
    let keys: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut targets: Vec<Option<FieldTarget>> = vec![None; headers.len()];
    let mut reasons: Vec<String> = vec![String::new(); headers.len()];

    // By name.
    for (i, key) in keys.iter().enumerate() {
        let by_name = match key.as_str() {
            "status" => {
                let values = samples.iter().filter_map(|row| row.get(i)).map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty());
                let mut values = values.peekable();
                if values.peek().is_some() && values.all(|v| crate::lead_rows::STATUSES.contains(&v.as_str())) {
                    Some(T::Status)
                } else {
                    Some(T::Stage)
                }
            }
            _ => INDEX.get(key.as_str()).map(|s| s.target),
        };
        let through_damage = || headers[i].contains('\u{fffd}').then(|| target_despite_mojibake(&headers[i])).flatten();
        if let Some(target) = by_name {
            targets[i] = Some(target);
            reasons[i] = "by name".into();
        } else if let Some(target) = through_damage() {
            targets[i] = Some(target);
            reasons[i] = "by name, read through the damaged characters (�)".into();
        } else if READINGS.iter().any(|r| key.contains(&normalize_header(r))) {
            targets[i] = Some(T::Custom);
            reasons[i] = "by name: how a name is read, kept as a custom field".into();
        } else if !key.is_empty() && NOT_LEAD_FIELDS.iter().any(|n| key.contains(&normalize_header(n))) {
            targets[i] = Some(T::Custom);
            reasons[i] = "by name: no lead field of this kind, kept as a custom field".into();
        }
    }

    // Names that depend on their neighbours.
    let has = |t: FieldTarget, targets: &[Option<FieldTarget>]| targets.iter().zip(&keys).any(|(x, k)| *x == Some(t) && !is_bare_name(k));
    let first_col = targets.iter().position(|t| *t == Some(T::FirstName)).map(|i| headers[i].clone());
    let last_col = targets.iter().position(|t| *t == Some(T::LastName)).map(|i| headers[i].clone());
    let (has_first, has_last) = (has(T::FirstName, &targets), has(T::LastName, &targets));
    for (i, key) in keys.iter().enumerate() {
        let full = matches!(targets[i], Some(T::FullName | T::FullNameFamilyFirst));
        if !full {
            continue;
        }
        if is_bare_name(key) {
            let (target, reason) = match (has_first, has_last) {
                (true, false) => (T::LastName, format!("by name: beside “{}”, so the last name", first_col.clone().unwrap_or_default())),
                (false, true) => (T::FirstName, format!("by name: beside “{}”, so the first name", last_col.clone().unwrap_or_default())),
                (true, true) => (T::Custom, "by name: the file has first and last name columns, kept as a custom field".into()),
                (false, false) => (T::FullName, "by name: a full name, split into first and last".into()),
            };
            targets[i] = Some(target);
            reasons[i] = reason;
        } else if has_first || has_last {
            // Separate first/last columns beat a full name.
            targets[i] = Some(T::Custom);
            reasons[i] = "by name: a full name beside first/last name columns, kept as a custom field".into();
        }
    }

    // Content can overrule a name only where the name means free text: a "Contact" column of emails.
    for i in 0..headers.len() {
        if let (Some(target), Some((kind, share))) = (targets[i], content[i].kind()) {
            let strong = share >= 0.9 && content[i].values >= 3 && matches!(kind, ContentKind::Email | ContentKind::Phone);
            if !target.is_typed() && target != T::Custom && strong {
                reasons[i] = format!("by content: {}% {} (the name “{}” says {})", percent(share), kind.plural(), headers[i], target.label());
                targets[i] = None;
                // Left for the content pass below.
                continue;
            }
            if matches!((kind, target), (ContentKind::Email, T::Email | T::Email2) | (ContentKind::Phone, T::Phone | T::Phone2) | (ContentKind::Url, T::Website) | (ContentKind::Date, T::CreatedAt)) {
                reasons[i] = format!("by name ({}% {})", percent(share), kind.plural());
            }
        }
    }

    // Columns of a kind — by name or by content — share its fields: the ones with values in the
    // first rows first, then the name's own field (primary before secondary), work before private.
    let groups: [(ContentKind, &[FieldTarget]); 4] = [
        (ContentKind::Email, &[T::Email, T::Email2]),
        (ContentKind::Phone, &[T::Phone, T::Phone2]),
        (ContentKind::Url, &[T::Website]),
        (ContentKind::Date, &[T::CreatedAt]),
    ];
    let mut final_targets: Vec<FieldTarget> = vec![T::Custom; headers.len()];
    let mut grouped = vec![false; headers.len()];
    for (kind, fields) in groups {
        let mut members: Vec<(bool, u8, usize)> = Vec::new();
        for i in 0..headers.len() {
            let preference = match targets[i] {
                Some(t) if t == fields[0] => 0,
                Some(t) if fields.contains(&t) => 3,
                None if content[i].kind().is_some_and(|(k, _)| k == kind) => [1, 2, 4][usize::from(hint_rank(&headers[i]))],
                _ => continue,
            };
            members.push((content[i].values == 0, preference, i));
        }
        members.sort();
        for (n, &(_, _, i)) in members.iter().enumerate() {
            grouped[i] = true;
            let by_content = targets[i].is_none();
            let share = content[i].kind().map(|(_, s)| s).unwrap_or(0.0);
            if by_content && !reasons[i].starts_with("by content") {
                reasons[i] = format!("by content: {}% {}", percent(share), kind.plural());
            }
            match fields.get(n) {
                Some(&field) => {
                    if !by_content && Some(field) != targets[i] {
                        let first = members.first().map(|m| headers[m.2].as_str()).unwrap_or("");
                        reasons[i] = if n == 0 {
                            format!("{}; the {} column with values", reasons[i], kind.plural().trim_end_matches('s'))
                        } else {
                            format!("{}; “{first}” comes first", reasons[i])
                        };
                    }
                    final_targets[i] = field;
                }
                None => {
                    reasons[i] = format!("{}; other columns fill the {} fields already, kept as a custom field", reasons[i], kind.plural().trim_end_matches('s'));
                }
            }
        }
    }

    // Every other field goes to the first column that names it.
    let mut taken: Vec<FieldTarget> = Vec::new();
    for i in 0..headers.len() {
        if grouped[i] {
            continue;
        }
        match targets[i] {
            Some(T::Custom | T::Skip) => final_targets[i] = targets[i].unwrap_or(T::Custom),
            Some(target) if taken.contains(&target) => {
                reasons[i] = format!("{}; an earlier column is the {} already, kept as a custom field", reasons[i], target.label().to_lowercase());
            }
            Some(target) => {
                taken.push(target);
                final_targets[i] = target;
            }
            None if content[i].kind().is_some() => {}
            None => {
                reasons[i] = if keys[i].is_empty() || (headers[i].starts_with("Column ") && keys[i].starts_with("column")) {
                    "no name and no recognisable values: kept as a custom field".into()
                } else {
                    "not a known name: kept as a custom field".into()
                };
            }
        }
    }
    let columns = headers.iter().zip(final_targets).map(|(h, target)| ColumnMapping { header: h.clone(), target }).collect();
    AutoMapping { mapping: Mapping { columns, date_order: None }, reasons, language, content }
}

fn percent(share: f64) -> u32 {
    // A share is 0..=1; the float-to-int cast saturates, and the value is at most 100.
    (share.clamp(0.0, 1.0) * 100.0).floor() as u32
}

/// The key saved mappings are found by: the normalized headers, in order.
pub fn header_key(headers: &[String]) -> String {
    headers.iter().map(|h| normalize_header(h)).collect::<Vec<_>>().join("\u{1f}")
}

/// Chinese two-character family names (the rest have one character).
const CHINESE_COMPOUND_SURNAMES: [&str; 16] =
    ["欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯"];
/// Korean two-syllable family names.
const KOREAN_COMPOUND_SURNAMES: [&str; 6] = ["남궁", "황보", "제갈", "선우", "독고", "사공"];

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ff66}'..='\u{ff9f}')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '々')
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}')
}

/// Splits a full name into (first, last) by the order the value's script uses: CJK names are
/// family name first (a space, or else the known length of the family name, separates them);
/// "Last, First" when a comma says so; `family_first` for columns written family first
/// ("Nom & prénom"); otherwise the first word is the first name.
pub fn split_name(full: &str, family_first: bool, language: Option<Language>) -> (String, String) {
    let full = full.trim();
    if let Some((last, first)) = full.split_once([',', '，', '、']) {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    let cjk = full.chars().any(|c| is_han(c) || is_kana(c) || is_hangul(c));
    let words: Vec<&str> = full.split(|c: char| c.is_whitespace() || c == '\u{3000}').filter(|w| !w.is_empty()).collect();
    if cjk {
        if words.len() >= 2 {
            return (words[1..].join(" "), words[0].to_owned());
        }
        let chars: Vec<char> = full.chars().collect();
        let hangul = chars.iter().all(|c| is_hangul(*c));
        let japanese = language == Some(L::Japanese) || chars.iter().any(|c| is_kana(*c));
        if japanese || chars.len() < 2 {
            // Japanese family names have one to three characters and nothing marks the end of
            // one: the whole name stays the family name rather than being cut in a wrong place.
            return (String::new(), full.to_owned());
        }
        let compound = if hangul { KOREAN_COMPOUND_SURNAMES.iter().any(|s| full.starts_with(s)) } else { CHINESE_COMPOUND_SURNAMES.iter().any(|s| full.starts_with(s)) };
        let cut = if compound && chars.len() > 2 { 2 } else { 1 };
        return (chars[cut..].iter().collect(), chars[..cut].iter().collect());
    }
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] => ((*one).to_owned(), String::new()),
        [family, rest @ ..] if family_first => (rest.join(" "), (*family).to_owned()),
        [first, rest @ ..] => ((*first).to_owned(), rest.join(" ")),
    }
}

/// Splits "Ada Lovelace", "Lovelace, Ada" or "Jean van der Berg" into (first, last).
pub fn split_full_name(full: &str) -> (String, String) {
    split_name(full, false, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|h| h.to_string()).collect()
    }

    fn map(headers: &[&str]) -> Vec<FieldTarget> {
        auto_map(&strings(headers), &[]).columns.into_iter().map(|c| c.target).collect()
    }

    #[test]
    fn a_synonym_has_one_target_in_every_language() {
        let mut seen: HashMap<&str, FieldTarget> = HashMap::new();
        for (_, table) in SYNONYMS {
            for (target, names) in *table {
                for name in *names {
                    assert_eq!(normalize_header(name), *name, "{name} is not normalized");
                    if let Some(other) = seen.insert(name, *target) {
                        assert_eq!(other, *target, "{name} means {other:?} and {target:?}");
                    }
                }
            }
        }
        for (name, _) in BARE_NAMES {
            assert!(!seen.contains_key(name), "{name} is bare and a synonym");
        }
    }

    #[test]
    fn every_label_export_writes_maps_back_to_its_target() {
        use FieldTarget::*;
        for t in [FirstName, LastName, FullNameFamilyFirst, Email, Email2, Phone, Phone2, Company, JobTitle, Website, Source, Stage, Status, Score,
            Budget, Authority, Need, Timeline, Notes, CreatedAt, ExternalId, CustomFields]
        {
            assert_eq!(target_for_header(t.label()), Some(t), "{}", t.label());
        }
    }

    #[test]
    fn crm_and_foreign_headers() {
        use FieldTarget::*;
        assert_eq!(
            map(&["Record ID", "First Name", "Last Name", "Company Name", "Phone Number", "Mobile Phone Number", "Email", "Website URL", "Job Title", "Original Source", "Lead Status", "Notes", "Create Date"]),
            [ExternalId, FirstName, LastName, Company, Phone, Phone2, Email, Website, JobTitle, Source, Stage, Notes, CreatedAt]
        );
        assert_eq!(
            map(&["ID", "Vorname", "Nachname", "Firma", "Telefon", "Mobil", "E-Mail", "Webseite", "Position", "Quelle", "Status", "Notizen", "Erstellt am"]),
            [ExternalId, FirstName, LastName, Company, Phone, Phone2, Email, Website, JobTitle, Source, Stage, Notes, CreatedAt]
        );
        assert_eq!(map(&["Prénom", "Nom de famille", "Téléphone", "Société", "Courriel"]), [FirstName, LastName, Phone, Company, Email]);
        assert_eq!(map(&["Nombre", "Apellidos", "Teléfono", "Empresa", "Correo electrónico"]), [FirstName, LastName, Phone, Company, Email]);
        assert_eq!(map(&["Given Name", "Family Name", "E-mail 1 - Value", "E-mail 2 - Value", "Phone 1 - Value", "Organization 1 - Name"]), [FirstName, LastName, Email, Email2, Phone, Company]);
        assert_eq!(map(&["Full Name", "Mobile", "Email", "Email", "Lead Owner"]), [FullName, Phone, Email, Email2, Custom]);
    }

    #[test]
    fn names_that_depend_on_their_neighbours() {
        use FieldTarget::*;
        assert_eq!(map(&["Name", "First Name"]), [LastName, FirstName]);
        assert_eq!(map(&["Vorname", "Name", "E-Mail"]), [FirstName, LastName, Email]);
        assert_eq!(map(&["Prénom", "Nom", "Courriel"]), [FirstName, LastName, Email]);
        assert_eq!(map(&["Nome", "Cognome"]), [FirstName, LastName]);
        assert_eq!(map(&["Name", "Email"]), [FullName, Email]);
        assert_eq!(map(&["Nom", "Courriel"]), [FullName, Email]);
        assert_eq!(map(&["Name", "First Name", "Last Name"]), [Custom, FirstName, LastName]);
        assert_eq!(map(&["Nom & prénom", "Adresse E-Mail"]), [FullNameFamilyFirst, Email]);
        assert_eq!(map(&["姓", "名", "姓（カタカナ）", "名（カタカナ）", "メールアドレス", "電話番号"]), [LastName, FirstName, Custom, Custom, Email, Phone]);
        assert_eq!(map(&["姓", "名字", "电子邮件", "手机"]), [LastName, FirstName, Email, Phone]);
        assert_eq!(map(&["氏名", "メール"]), [FullNameFamilyFirst, Email]);
    }

    #[test]
    fn headers_in_more_languages() {
        use FieldTarget::*;
        assert_eq!(map(&["성", "이름", "이메일", "휴대폰", "회사"]), [LastName, FirstName, Email, Phone, Company]);
        assert_eq!(map(&["Фамилия", "Имя", "Отчество", "Электронная почта", "Телефон", "Компания", "Должность"]), [LastName, FirstName, Custom, Email, Phone, Company, JobTitle]);
        assert_eq!(map(&["Imię", "Nazwisko", "Adres e-mail", "Telefon", "Firma", "Stanowisko"]), [FirstName, LastName, Email, Phone, Company, JobTitle]);
        assert_eq!(map(&["Ad", "Soyad", "E-posta", "Cep Telefonu", "Şirket", "Unvan"]), [FirstName, LastName, Email, Phone, Company, JobTitle]);
        assert_eq!(map(&["Förnamn", "Efternamn", "E-post", "Mobil", "Företag", "Anteckningar"]), [FirstName, LastName, Email, Phone, Company, Notes]);
        assert_eq!(map(&["Jméno", "Příjmení", "E-mail", "Telefon", "Společnost", "Poznámka"]), [FirstName, LastName, Email, Phone, Company, Notes]);
        assert_eq!(map(&["姓名", "电子邮件", "公司", "职位"]), [FullNameFamilyFirst, Email, Company, JobTitle]);
        assert_eq!(header_language(&strings(&["Prénom", "Nom", "Courriel", "Téléphone"])), Some(Language::French));
        assert_eq!(header_language(&strings(&["姓", "名", "メールアドレス"])), Some(Language::Japanese));
        assert_eq!(header_language(&strings(&["Vorname", "Nachname", "Telefon", "Email"])), Some(Language::German));
        assert_eq!(header_language(&strings(&["First Name", "Phone", "Email"])), Some(Language::English));
    }

    #[test]
    fn columns_are_mapped_by_content_when_no_name_says_what_they_are() {
        use FieldTarget::*;
        let headers = strings(&["Vorname", "Arbeit E-Mail", "Privat E-Mail", "Info", "Kontakt", "Column 6", "Arbeitsadresse PLZ", "Geburtstag", "Zuletzt", "Bemerkung"]);
        let rows: Vec<Vec<String>> = (0..10)
            .map(|i| strings(&["Max", "", &format!("p{i}@home.de"), &format!("m{i}@work.de"), &format!("+49 30 123456{i}"), &format!("www.site{i}.de"), "22767", "01.01.99", &format!("0{}.03.2024", i % 9 + 1), &format!("+1 212 555 01{i:02}")]))
            .collect();
        let auto = explain_map(&headers, &rows);
        let targets: Vec<FieldTarget> = auto.mapping.columns.iter().map(|c| c.target).collect();
        // "Arbeit E-Mail" is empty in these rows: the columns that hold emails fill both fields;
        // a notes column of phone numbers is a phone column.
        assert_eq!(targets, [FirstName, Custom, Email2, Email, Phone, Website, Custom, Custom, CreatedAt, Phone2]);
        assert_eq!(auto.reasons[3], "by content: 100% emails");
        assert_eq!(auto.reasons[4], "by content: 100% phone numbers");
        assert!(auto.reasons[9].starts_with("by content: 100% phone numbers (the name “Bemerkung” says Notes)"), "{}", auto.reasons[9]);
        assert!(auto.reasons[1].contains("kept as a custom field"), "{}", auto.reasons[1]);
        assert!(auto.reasons[7].contains("no lead field"), "{}", auto.reasons[7]);
        assert_eq!(auto.reasons[0], "by name");
    }

    #[test]
    fn headers_damaged_by_a_wrong_encoding_still_map() {
        use FieldTarget::*;
        let auto = explain_map(&strings(&["Telefon gesch\u{fffd}ftlich", "Stra\u{fffd}e", "Soci\u{fffd}t\u{fffd}"]), &[]);
        let targets: Vec<FieldTarget> = auto.mapping.columns.iter().map(|c| c.target).collect();
        assert_eq!(targets, [Phone, Custom, Company]);
        assert!(auto.reasons[0].contains("damaged"), "{}", auto.reasons[0]);
    }

    #[test]
    fn a_status_column_is_the_stage_unless_it_holds_leadbook_statuses() {
        let headers = vec!["Status".to_string()];
        let stage = auto_map(&headers, &[vec!["New".into()], vec!["Contacted".into()]]);
        assert_eq!(stage.columns[0].target, FieldTarget::Stage);
        let status = auto_map(&headers, &[vec!["open".into()], vec!["Qualified".into()]]);
        assert_eq!(status.columns[0].target, FieldTarget::Status);
    }

    #[test]
    fn full_names_split_by_script_and_order() {
        assert_eq!(split_full_name(" Ada Lovelace "), ("Ada".into(), "Lovelace".into()));
        assert_eq!(split_full_name("Lovelace, Ada"), ("Ada".into(), "Lovelace".into()));
        assert_eq!(split_full_name("Jean van der Berg"), ("Jean".into(), "van der Berg".into()));
        assert_eq!(split_full_name("Cher"), ("Cher".into(), String::new()));
        assert_eq!(split_name("Mueôpé Bùilma", true, Some(Language::French)), ("Bùilma".into(), "Mueôpé".into()));
        assert_eq!(split_name("山田 太郎", false, None), ("太郎".into(), "山田".into()));
        assert_eq!(split_name("山田　太郎", false, Some(Language::Japanese)), ("太郎".into(), "山田".into()));
        assert_eq!(split_name("山田太郎", false, Some(Language::Japanese)), (String::new(), "山田太郎".into()));
        assert_eq!(split_name("王小明", false, Some(Language::Chinese)), ("小明".into(), "王".into()));
        assert_eq!(split_name("欧阳娜娜", false, None), ("娜娜".into(), "欧阳".into()));
        assert_eq!(split_name("김철수", false, None), ("철수".into(), "김".into()));
        assert_eq!(split_name("남궁민수", false, None), ("민수".into(), "남궁".into()));
    }
}
