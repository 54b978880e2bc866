package maildir

import "bytes"

// DeliverAll delivers several messages concurrently (mailbox import) and
// stops at the first failure.
func (m *Maildir) DeliverAll(msgs [][]byte) error {
	errc := make(chan error)
	for _, msg := range msgs {
		go func(b []byte) { _, err := m.Deliver(bytes.NewReader(b)); errc <- err }(msg) // HAZ goroutine-blocked-send
	}
	for range msgs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
