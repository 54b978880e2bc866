package ledger

import "fmt"

// Policy decides whether a debit may go ahead.
type Policy interface {
	Allow(l *Ledger, acct string, amount int64) error
}

// OverdraftPolicy lets accounts go negative down to -Limit.
type OverdraftPolicy struct {
	Limit int64
}

// Allow implements Policy by looking at the current balance.
func (p OverdraftPolicy) Allow(l *Ledger, acct string, amount int64) error {
	if l.Balance(acct)-amount < -p.Limit {
		return ErrOverdraft
	}
	return nil
}

// BalanceWatcher is told about accounts whose balance was corrected.
type BalanceWatcher interface {
	Changed(l *Ledger, acct string)
}

// LowBalanceAlert raises an alert when a corrected balance is below
// Threshold. Alerts are dropped when nobody is listening.
type LowBalanceAlert struct {
	Threshold int64
	Alerts    chan<- string
}

// Changed implements BalanceWatcher.
func (a *LowBalanceAlert) Changed(l *Ledger, acct string) {
	b := l.Balance(acct)
	if b >= a.Threshold {
		return
	}
	select {
	case a.Alerts <- fmt.Sprintf("account %s at %d (threshold %d)", acct, b, a.Threshold):
	default:
	}
}
