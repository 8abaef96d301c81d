package invoicing

import "example.com/ledger"

// Book posts an invoice's totals to the journal: the gross amount is owed by
// the customer, the net amount is revenue and the VAT is owed to the tax
// office.
func Book(j *ledger.Journal, t Totals) {
	j.Post("receivables", t.Gross)
	j.Post("revenue", -t.Net)
	j.Post("vat-payable", -t.VAT)
}
