//! Companies: the list, the detail, create and edit.

use super::app_commands;
use leadbook_core::*;

app_commands! {
    company_list(store, req: ListCompaniesRequest) -> CompanyPage, reads [Companies], stales [] { store.list_companies(&req).await }
    company_get(store, req: CompanyGet { id: String }) -> Company, reads [Companies], stales [] { store.get_company(&req.id).await }
    company_create(store, req: CompanyCreate { input: CompanyInput }) -> Company, reads [], stales [Companies] { store.create_company(&req.input).await }
    /// A rename shows on every lead of the company.
    company_update(store, req: CompanyUpdate { id: String, input: CompanyInput }) -> Company, reads [], stales [Store, Companies, Leads] {
        store.update_company(&req.id, &req.input).await
    }
}
