package fixture

import (
	"errors"
	"sync"
)

type account struct {
	mu      sync.Mutex
	balance int64
	policy  approver
	audit   auditor
}

func (a *account) Balance() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// approver has one implementation in the package, which reads the balance under the lock.
type approver interface {
	Approve(a *account, amount int64) error
}

type limitApprover struct{ floor int64 }

func (p limitApprover) Approve(a *account, amount int64) error {
	if a.Balance()-amount < p.floor {
		return errors.New("below floor")
	}
	return nil
}

// Withdraw asks the policy while holding the lock: the only implementation locks it again.
func (a *account) Withdraw(amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.policy.Approve(a, amount); err != nil { // want `a.policy.Approve\(a, amount\) on line \d+ locks it again \(account.Withdraw → limitApprover.Approve → account.Balance`
		return err
	}
	a.balance -= amount
	return nil
}

// auditor has two implementations in the package: which one runs is not known here.
type auditor interface {
	Record(a *account, amount int64)
}

type balanceAuditor struct{}

func (balanceAuditor) Record(a *account, amount int64) { _ = a.Balance() + amount }

type nopAuditor struct{}

func (nopAuditor) Record(*account, int64) {}

func (a *account) Deposit(amount int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.audit.Record(a, amount)
	a.balance += amount
}
