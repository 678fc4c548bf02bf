//! Which column goes into which lead field: header synonyms in plain English, the exports of
//! common CRMs and address books, and German, French, Spanish, Portuguese, Italian and Dutch.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A lead field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldTarget {
    FirstName,
    LastName,
    /// Split into first and last name.
    FullName,
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
    /// The date order of the file: "ymd", "mdy" or "dmy"; None = detect from the values.
    pub date_order: Option<String>,
}

/// Lower-case letters and digits only: "E-Mail 1 - Value" → "email1value".
pub fn normalize_header(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

use FieldTarget as T;

/// Synonyms, already normalized. Order within the table does not matter: lookups are exact.
const SYNONYMS: &[(T, &[&str])] = &[
    (T::FirstName, &[
        "firstname", "first", "givenname", "forename", "fname", "contactfirstname", "vorname", "prénom", "prenom", "nombre",
        "primeironome", "nomeproprio", "nomepróprio", "voornaam", "roepnaam",
    ]),
    (T::LastName, &[
        "lastname", "last", "surname", "familyname", "lname", "contactlastname", "nachname", "familienname", "nomdefamille",
        "apellido", "apellidos", "sobrenome", "últimonome", "ultimonome", "cognome", "achternaam",
    ]),
    (T::FullName, &[
        "name", "fullname", "contactname", "contact", "displayname", "personname", "leadname", "vollständigername",
        "vollername", "nomcomplet", "nombrecompleto", "nomecompleto", "naam", "volledigenaam",
    ]),
    (T::Email, &[
        "email", "emailaddress", "email1", "email1value", "emailaddress1", "primaryemail", "workemail", "businessemail", "mail",
        "emailadresse", "emailadress", "courriel", "adresseemail", "adressecourriel", "correo", "correoelectrónico",
        "correoelectronico", "endereçodeemail", "enderecodeemail", "indirizzoemail", "emailadres", "contactemail",
    ]),
    (T::Email2, &[
        "email2", "email2value", "email2address", "emailaddress2", "secondaryemail", "otheremail", "personalemail",
        "alternateemail", "alternativeemail", "privateemail", "emailprivat", "email2adresse",
    ]),
    (T::Phone, &[
        "phone", "phonenumber", "phone1", "phone1value", "telephone", "tel", "businessphone", "workphone", "primaryphone",
        "officephone", "contactphone", "telefon", "telefonnummer", "téléphone", "telefono", "teléfono", "telefone",
        "telefoon", "telefoonnummer", "numerodetelephone", "numérodetéléphone",
    ]),
    (T::Phone2, &[
        "phone2", "phone2value", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cell", "cellphone",
        "otherphone", "homephone", "mobil", "handy", "mobiltelefon", "mobilnummer", "portable", "téléphoneportable",
        "telephoneportable", "móvil", "movil", "celular", "cellulare", "mobiel", "mobielnummer", "secondaryphone",
    ]),
    (T::Company, &[
        "company", "companyname", "organization", "organisation", "organizationname", "organisationname", "account",
        "accountname", "organization1name", "employer", "business", "firma", "firmenname", "unternehmen", "société",
        "societe", "entreprise", "empresa", "azienda", "società", "bedrijf", "bedrijfsnaam",
    ]),
    (T::JobTitle, &[
        "title", "jobtitle", "position", "role", "jobrole", "designation", "organization1title", "berufsbezeichnung",
        "funktion", "titre", "poste", "fonction", "cargo", "puesto", "funzione", "ruolo", "qualifica", "functie", "functietitel",
    ]),
    (T::Website, &[
        "website", "websiteurl", "web", "url", "homepage", "webpage", "website1value", "companywebsite", "webseite",
        "internetseite", "siteweb", "siteinternet", "sitioweb", "paginaweb", "sitoweb", "sítio", "sitio",
    ]),
    (T::Source, &[
        "source", "leadsource", "originalsource", "channel", "origin", "quelle", "herkunft", "leadquelle", "origine",
        "sourcedulead", "fuente", "origen", "origem", "fonte", "bron", "kanaal",
    ]),
    (T::Stage, &[
        "stage", "leadstage", "dealstage", "lifecyclestage", "pipelinestage", "salesstage", "phase", "stufe", "étape",
        "etape", "etapa", "fase", "leadstatus", "statut", "estado", "stato",
    ]),
    (T::Status, &["leadstatuscode"]),
    (T::Score, &["score", "leadscore", "rating", "punkte", "bewertung", "puntuación", "puntuacion", "pontuação", "pontuacao", "punteggio"]),
    (T::Budget, &["budget", "presupuesto", "orçamento", "orcamento"]),
    (T::Authority, &["authority", "decisionmaker", "entscheider"]),
    (T::Need, &["need", "needs", "bedarf", "besoin"]),
    (T::Timeline, &["timeline", "timeframe", "zeitrahmen", "zeitplan", "échéance", "calendario"]),
    (T::Notes, &[
        "notes", "comments", "comment", "remarks", "description", "memo", "notizen", "notiz", "bemerkungen", "bemerkung",
        "beschreibung", "kommentar", "commentaires", "commentaire", "remarques", "notas", "descripción", "descripcion",
        "comentarios", "observações", "observacoes", "descrição", "descricao", "note", "commenti", "opmerkingen",
        "notities", "omschrijving",
    ]),
    (T::CreatedAt, &[
        "created", "createdat", "createddate", "createdate", "datecreated", "creationdate", "createdtime", "createdon",
        "erstelltam", "erstellt", "erstelldatum", "angelegtam", "datedecréation", "datedecreation", "créé", "créele",
        "fechadecreación", "fechadecreacion", "creado", "datadecriação", "datadecriacao", "criadoem", "datadicreazione",
        "creatoil", "aangemaakt", "aangemaaktop",
    ]),
    (T::ExternalId, &[
        "externalid", "id", "recordid", "leadid", "contactid", "accountid", "crmid", "zohoid", "personid", "customerid",
        "kundennummer", "referenz",
    ]),
    (T::CustomFields, &["customfields"]),
];

/// The target a header means on its own, if it is a known synonym.
pub fn target_for_header(header: &str) -> Option<FieldTarget> {
    let key = normalize_header(header);
    SYNONYMS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(t, _)| *t)
}

/// Maps every column: known synonyms to their field, the rest to custom fields. A target that
/// two columns claim goes to the first; a second email or phone becomes Email 2 / Phone 2.
/// `samples` (first rows) decide the one ambiguous case: a "Status" column holding Leadbook's
/// statuses is the status, otherwise (New, Contacted, …) it is the pipeline stage.
pub fn auto_map(headers: &[String], samples: &[Vec<String>]) -> Mapping {
    let mut taken: Vec<FieldTarget> = Vec::new();
    let mut columns = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let mut target = match normalize_header(header).as_str() {
            "status" => {
                let values = samples.iter().filter_map(|row| row.get(i)).map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty());
                let mut values = values.peekable();
                if values.peek().is_some() && values.all(|v| crate::leads::STATUSES.contains(&v.as_str())) {
                    T::Status
                } else {
                    T::Stage
                }
            }
            _ => target_for_header(header).unwrap_or(T::Custom),
        };
        // Second columns of a kind: another email or phone is the secondary one.
        if taken.contains(&target) {
            target = match target {
                T::Email if !taken.contains(&T::Email2) => T::Email2,
                T::Phone if !taken.contains(&T::Phone2) => T::Phone2,
                T::Custom | T::Skip => target,
                _ => T::Custom,
            };
        }
        if target != T::Custom {
            taken.push(target);
        }
        columns.push(ColumnMapping { header: header.clone(), target });
    }
    // A file with only a mobile column: that is the lead's phone.
    for (primary, secondary) in [(T::Phone, T::Phone2), (T::Email, T::Email2)] {
        if !taken.contains(&primary) {
            if let Some(c) = columns.iter_mut().find(|c| c.target == secondary) {
                c.target = primary;
            }
        }
    }
    // Separate first/last columns beat a full name; a full name alone is split.
    if taken.contains(&T::FirstName) || taken.contains(&T::LastName) {
        for c in columns.iter_mut().filter(|c| c.target == T::FullName) {
            c.target = T::Custom;
        }
    }
    Mapping { columns, date_order: None }
}

/// The key saved mappings are found by: the normalized headers, in order.
pub fn header_key(headers: &[String]) -> String {
    headers.iter().map(|h| normalize_header(h)).collect::<Vec<_>>().join("\u{1f}")
}

/// Splits "Ada Lovelace", "Lovelace, Ada" or "Jean van der Berg" into (first, last).
pub fn split_full_name(full: &str) -> (String, String) {
    let full = full.trim();
    if let Some((last, first)) = full.split_once(',') {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    match full.split_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_owned(), last.trim().to_owned()),
        None => (full.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Vec<FieldTarget> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        auto_map(&headers, &[]).columns.into_iter().map(|c| c.target).collect()
    }

    #[test]
    fn every_label_export_writes_maps_back_to_its_target() {
        use FieldTarget::*;
        for t in [FirstName, LastName, Email, Email2, Phone, Phone2, Company, JobTitle, Website, Source, Stage, Status, Score,
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
        assert_eq!(map(&["Name", "First Name"]), [Custom, FirstName]);
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
    fn full_names_split() {
        assert_eq!(split_full_name(" Ada Lovelace "), ("Ada".into(), "Lovelace".into()));
        assert_eq!(split_full_name("Lovelace, Ada"), ("Ada".into(), "Lovelace".into()));
        assert_eq!(split_full_name("Jean van der Berg"), ("Jean".into(), "van der Berg".into()));
        assert_eq!(split_full_name("Cher"), ("Cher".into(), String::new()));
    }
}
