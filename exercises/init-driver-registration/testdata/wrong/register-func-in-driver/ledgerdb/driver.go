// Package ledgerdb is the database/sql driver for LedgerDB, the payments
// ledger. Importing it registers the driver under the name "ledgerdb":
//
//	db, err := sql.Open("ledgerdb", "ledgerdb://ledger.internal:5433/payouts")
//
// In this exercise the driver serves a small in-memory ledger instead of
// talking to a server, and understands one query.
package ledgerdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

var registerOnce sync.Once

// Register registers the driver with database/sql under the name
// "ledgerdb". It is safe to call more than once.
func Register() {
	registerOnce.Do(func() { sql.Register("ledgerdb", Driver{}) })
}

// Driver opens connections to LedgerDB.
type Driver struct{}

// Open connects to the ledger at a ledgerdb:// URL.
func (Driver) Open(dsn string) (driver.Conn, error) {
	if !strings.HasPrefix(dsn, "ledgerdb://") {
		return nil, fmt.Errorf("ledgerdb: %q is not a ledgerdb:// URL", dsn)
	}
	return conn{}, nil
}

// balanceQuery is the query the ledger answers: the balance of one account.
const balanceQuery = "SELECT balance_cents, currency FROM balances WHERE account = ?"

var ledger = map[string][]driver.Value{
	"acct-1001": {int64(125000), "EUR"},
	"acct-1002": {int64(-4050), "EUR"},
	"acct-1003": {int64(31075), "EUR"},
}

type conn struct{}

func (conn) Prepare(query string) (driver.Stmt, error) {
	if query != balanceQuery {
		return nil, fmt.Errorf("ledgerdb: unsupported query %q", query)
	}
	return stmt{}, nil
}

func (conn) Ping(context.Context) error { return nil }
func (conn) Close() error               { return nil }
func (conn) Begin() (driver.Tx, error) {
	return nil, errors.New("ledgerdb: transactions are not supported")
}

type stmt struct{}

func (stmt) NumInput() int { return 1 }
func (stmt) Close() error  { return nil }
func (stmt) Exec([]driver.Value) (driver.Result, error) {
	return nil, errors.New("ledgerdb: the ledger is read-only")
}

func (stmt) Query(args []driver.Value) (driver.Rows, error) {
	account, _ := args[0].(string)
	return &rows{row: ledger[account]}, nil
}

// rows holds at most one row: the account's balance, or none.
type rows struct{ row []driver.Value }

func (r *rows) Columns() []string { return []string{"balance_cents", "currency"} }
func (r *rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.row == nil {
		return io.EOF
	}
	copy(dest, r.row)
	r.row = nil
	return nil
}
