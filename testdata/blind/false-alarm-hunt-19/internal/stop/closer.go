package stop

import (
	"errors"
	"io"
)

// CloserFunc adapts a function to io.Closer.
type CloserFunc func() error

// Close calls f.
func (f CloserFunc) Close() error { return f() }

// CloseAll closes cs in reverse order, skipping nil entries, and joins every
// error. It is meant for constructors that fail half-way.
func CloseAll(cs ...io.Closer) error {
	var err error
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i] == nil {
			continue
		}
		err = errors.Join(err, cs[i].Close())
	}
	return err
}

// JoinClose closes c and joins its error into *errp. Defer it with a named
// error result so that a failed close is reported to the caller:
//
//	defer stop.JoinClose(&err, f)
func JoinClose(errp *error, c io.Closer) {
	*errp = errors.Join(*errp, c.Close())
}
