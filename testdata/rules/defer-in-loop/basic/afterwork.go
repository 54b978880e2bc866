package fixture

import (
	"errors"
	"os"
)

type option interface {
	apply(cfg map[string]string) error
	afterInit(db *database) error
}

type database struct{ cfg map[string]string }

// Each option queues its after-initialisation step for the return, into the named result: the
// steps must run after the rest of open, and they hold nothing.
func open(opts []option) (db *database, err error) {
	db = &database{cfg: map[string]string{}}
	for _, opt := range opts {
		if aerr := opt.apply(db.cfg); aerr != nil {
			return nil, aerr
		}
		defer func(opt option) {
			if err != nil {
				return
			}
			if ierr := opt.afterInit(db); ierr != nil {
				err = ierr
			}
		}(opt)
	}
	if len(db.cfg) == 0 {
		return nil, errors.New("no configuration")
	}
	return db, nil
}

// Closing into the named result is still a file per iteration held until the return: reported.
func concatAll(paths []string, out *os.File) (err error) {
	for _, p := range paths {
		f, oerr := os.Open(p)
		if oerr != nil {
			return oerr
		}
		defer func(f *os.File) { // want `runs only when concatAll returns`
			if cerr := f.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}(f)
		if _, err = out.ReadFrom(f); err != nil {
			return err
		}
	}
	return nil
}
