package status

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"example.com/fah31/api"
)

// CollectHistory concatenates the history logs of objs into out, for the
// support bundle.
func (w *Writer) CollectHistory(out io.Writer, objs []*api.Object) error {
	for _, o := range objs {
		f, err := os.Open(w.pathFor(o) + ".history")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		fmt.Fprintf(out, "== %s\n", api.KeyOf(o))
		if _, err := io.Copy(out, f); err != nil {
			return err
		}
	}
	return nil
}

// CollectConditions does the same for condition tables; each file is closed
// at the end of its own iteration by the function literal.
func (w *Writer) CollectConditions(out io.Writer, objs []*api.Object) error {
	for _, o := range objs {
		err := func() error {
			f, err := os.Open(w.pathFor(o) + ".conditions")
			if err != nil {
				return err
			}
			defer f.Close()
			fmt.Fprintf(out, "== %s\n", api.KeyOf(o))
			_, err = io.Copy(out, f)
			return err
		}()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CollectStatus copies status files through a helper with its own defer.
func (w *Writer) CollectStatus(out io.Writer, objs []*api.Object) (int, error) {
	n := 0
	for _, o := range objs {
		if err := copyFile(out, w.pathFor(o)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return n, err
		}
		n++
	}
	return n, nil
}

func copyFile(out io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return err
}
