// Command dunning runs every night: it sends a payment reminder for each
// overdue invoice and reports what it did as metrics, which feed the
// collections team's "reminders sent" dashboard and its alert.
package main

import (
	"log"
	"os"
	"time"

	"init-blank-import-order/metrics"
	_ "init-blank-import-order/metrics/l2met"
)

type invoice struct {
	Number       string
	BillingEmail string
	Due          time.Time
}

// The invoice store and the mail relay are stand-ins in this exercise.
var (
	today    = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	invoices = []invoice{
		{"INV-1041", "ap@northwind.example", time.Date(2026, time.February, 14, 0, 0, 0, 0, time.UTC)},
		{"INV-1042", "finance@globex.example", time.Date(2026, time.March, 30, 0, 0, 0, 0, time.UTC)},
		{"INV-1043", "billing@contoso.example", time.Date(2026, time.February, 27, 0, 0, 0, 0, time.UTC)},
		{"INV-1044", "", time.Date(2026, time.January, 31, 0, 0, 0, 0, time.UTC)},
	}
	sendMail = func(to, subject string) error {
		log.Printf("mail to %s: %s", to, subject)
		return nil
	}
)

func main() {
	log.SetFlags(0)
	metrics.Select(os.Getenv("METRICS_BACKEND"))
	sendReminders(invoices, today)
	metrics.Flush()
}

// sendReminders mails a reminder for every invoice that is past due.
func sendReminders(invs []invoice, now time.Time) {
	for _, inv := range invs {
		switch {
		case !inv.Due.Before(now):
			continue
		case inv.BillingEmail == "":
			log.Printf("%s is overdue but has no billing address", inv.Number)
			metrics.Add("reminders.skipped", 1)
		default:
			if err := sendMail(inv.BillingEmail, "Payment reminder for "+inv.Number); err != nil {
				log.Printf("%s: %v", inv.Number, err)
				metrics.Add("reminders.failed", 1)
				continue
			}
			metrics.Add("reminders.sent", 1)
		}
	}
}
