package callchain

import "example.com/defercallchain/box"

// State of another package's box, read at the defer statement, then changed by Start: the saved
// snapshot is the one from before the start.
func startBox(b *box.Box, store map[string]box.Snapshot) {
	defer b.State().Save(store) // want `b.State\(\) runs now, at the defer statement, and reads b.status, which startBox changes afterwards through b.Start\(\)`
	b.Start()
}

// Nothing after the defer changes what State reads.
func describeBox(b *box.Box, store map[string]box.Snapshot) string {
	defer b.State().Save(store)
	return b.Describe()
}

// Wrapped, the whole chain runs at exit.
func startBoxLate(b *box.Box, store map[string]box.Snapshot) {
	defer func() { b.State().Save(store) }()
	b.Start()
}
