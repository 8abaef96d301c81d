// Package store reads merchant account balances from the ledger.
package store

import (
	"context"
	"database/sql"
	"fmt"

	"init-driver-registration/ledgerdb"
)

// Store reads balances from LedgerDB.
type Store struct {
	db *sql.DB
}

// Open connects to the ledger at dsn and checks that it answers.
func Open(ctx context.Context, dsn string) (*Store, error) {
	// Register the driver explicitly instead of relying on an init function.
	ledgerdb.Register()
	db, err := sql.Open("ledgerdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping ledger: %w", err)
	}
	return &Store{db: db}, nil
}

// Balance returns the balance of account in cents, and its currency.
func (s *Store) Balance(ctx context.Context, account string) (cents int64, currency string, err error) {
	err = s.db.QueryRowContext(ctx,
		"SELECT balance_cents, currency FROM balances WHERE account = ?", account).
		Scan(&cents, &currency)
	if err != nil {
		return 0, "", fmt.Errorf("balance of %s: %w", account, err)
	}
	return cents, currency, nil
}

// Close closes the connections to the ledger.
func (s *Store) Close() error {
	return s.db.Close()
}
