// Package plugin calls user callbacks under the shield's recovering helpers.
package plugin

import "example.com/recoverswallowspanic/shield"

// Notifier calls a best-effort callback.
type Notifier struct {
	shield.Shield
	OnEvent func(string)
}

// Notify drops a panic of the callback with no trace.
func (n *Notifier) Notify(ev string) {
	defer n.Absorb()
	n.OnEvent(ev)
}

// Run turns a panic of the callback into an error.
func (n *Notifier) Run(ev string) (err error) {
	defer n.Catch(&err)
	n.OnEvent(ev)
	return nil
}
