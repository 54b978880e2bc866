package repo

import (
	"database/sql"
	"errors"
)

type rowScanner interface {
	Scan(dest ...any) error
}

func scanUser(s rowScanner) (User, error) {
	var u User
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Active)
	return u, err
}

func scanOrder(s rowScanner) (Order, error) {
	var o Order
	err := s.Scan(&o.ID, &o.UserID, &o.Status, &o.TotalCents)
	return o, err
}

// scanUsers reads every row; the caller owns rows and closes it.
func scanUsers(rows *sql.Rows) ([]User, error) {
	var users []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// collect reads every row with scan and closes rows, reporting a close error.
func collect[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) (out []T, err error) {
	defer func() { err = errors.Join(err, rows.Close()) }()
	for rows.Next() {
		v, serr := scan(rows)
		if serr != nil {
			return nil, serr
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
