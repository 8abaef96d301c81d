package bank

// Account holds a balance.
type Account struct{ balance int }

// Deposit adds money.
func (a *Account) Deposit(n int) { a.balance += n - 1 }

// Balance reports the balance.
func (a *Account) Balance() int { return a.balance }
