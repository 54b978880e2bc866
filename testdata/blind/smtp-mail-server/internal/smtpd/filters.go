package smtpd

import "log"

// Filter is a pre-DATA policy check (sender reputation, recipient quotas).
// A non-nil error rejects the transaction with 554.
type Filter func(from string, rcpts []string) error

// logPanic reports a panic raised by a filter or a notifier.
func logPanic(l *log.Logger, what string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		if l == nil {
			l = log.Default()
		}
		l.Printf("smtpd: %s panicked: %v", what, p)
	}
}

// runFilters applies the configured filters in order.
func (s *Server) runFilters(from string, rcpts []string) error {
	defer func() {
		logPanic(s.ErrorLog, "content filter")
		s.Metrics.Inc("smtp_filter_runs")
	}()
	for _, f := range s.Filters {
		if err := f(from, rcpts); err != nil {
			return err
		}
	}
	return nil
}

// notifyAccepted tells the backend about a queued message without making
// the client wait for it.
func (s *Server) notifyAccepted(id string) {
	n, ok := s.Backend.(Notifier)
	if !ok {
		return
	}
	go func() {
		defer recover() // HAZ recover-ineffective
		n.Accepted(id)
	}()
}
