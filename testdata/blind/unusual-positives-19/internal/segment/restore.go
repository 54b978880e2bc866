package segment

import (
	"fmt"
	"os"
)

// RestoreMode says what happens to the current active segment on Restore.
type RestoreMode int

// Restore modes.
const (
	RestoreReplace RestoreMode = iota // keep a backup of the active segment
	RestoreDiscard                    // drop the active segment
	RestoreAppend                     // append the archive to the active segment
)

// Restore loads the records of archive into the writer according to mode.
func (w *Writer) Restore(archive string, mode RestoreMode) error {
	recs, err := ReadArchive(archive, ReadOptions{Strict: true})
	if err != nil {
		return err
	}
	var finish func()
	switch mode {
	case RestoreReplace:
		backup := w.activePath() + ".bak"
		if err := copyFile(w.activePath(), backup); err != nil {
			return err
		}
		finish = func() { os.Remove(backup) }
	case RestoreDiscard:
		finish = func() {}
	}
	defer finish() // HAZ defer-nil-func
	for _, r := range recs {
		if _, err := w.Append(r); err != nil {
			return fmt.Errorf("restore %s: %w", archive, err)
		}
	}
	return w.Flush()
}

// RestoreInto is Restore for the replace mode only; the backup is removed
// once the records are in.
func (w *Writer) RestoreInto(archive string) error {
	recs, err := ReadArchive(archive, ReadOptions{Strict: true})
	if err != nil {
		return err
	}
	backup := w.activePath() + ".bak"
	if err := copyFile(w.activePath(), backup); err != nil {
		return err
	}
	finish := func() { os.Remove(backup) }
	defer finish()
	for _, r := range recs {
		if _, err := w.Append(r); err != nil {
			return fmt.Errorf("restore %s: %w", archive, err)
		}
	}
	return nil
}
