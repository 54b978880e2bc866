package kv

import "errors"

var (
	// ErrNotFound is returned by Get for a missing key.
	ErrNotFound = errors.New("kv: key not found")
	// ErrDatabaseNotOpen is returned when the database has been closed.
	ErrDatabaseNotOpen = errors.New("kv: database not open")
	// ErrDatabaseReadOnly is returned for write transactions on a read-only database.
	ErrDatabaseReadOnly = errors.New("kv: database is read-only")
	// ErrTxClosed is returned when a committed or rolled back transaction is used.
	ErrTxClosed = errors.New("kv: transaction closed")
	// ErrTxNotWritable is returned for writes in a read transaction.
	ErrTxNotWritable = errors.New("kv: transaction not writable")
	// ErrTxManaged is returned when Commit or Rollback is called inside View or Update.
	ErrTxManaged = errors.New("kv: managed transaction: commit and rollback are not allowed")
	// ErrLocked is returned when another process holds the database lock file.
	ErrLocked = errors.New("kv: database is locked by another process")
	// ErrCallbackPanic wraps a panic raised by a user callback.
	ErrCallbackPanic = errors.New("kv: callback panicked")
	// ErrBadSnapshot is returned for a malformed snapshot stream.
	ErrBadSnapshot = errors.New("kv: malformed snapshot")
)
