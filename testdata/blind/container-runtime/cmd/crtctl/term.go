package main

import (
	"syscall"
	"unsafe"
)

func ioctlTermios(fd int, req uintptr, t *syscall.Termios) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(unsafe.Pointer(t))); e != 0 {
		return e
	}
	return nil
}

// makeRaw puts the terminal on fd into raw mode and returns the previous
// settings for restoreTerminal.
func makeRaw(fd int) (*syscall.Termios, error) {
	var t syscall.Termios
	if err := ioctlTermios(fd, syscall.TCGETS, &t); err != nil {
		return nil, err
	}
	saved := t
	t.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP |
		syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	t.Oflag &^= syscall.OPOST
	t.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	t.Cflag &^= syscall.CSIZE | syscall.PARENB
	t.Cflag |= syscall.CS8
	t.Cc[syscall.VMIN] = 1
	t.Cc[syscall.VTIME] = 0
	if err := ioctlTermios(fd, syscall.TCSETS, &t); err != nil {
		return nil, err
	}
	return &saved, nil
}

// restoreTerminal puts back the settings saved by makeRaw.
func restoreTerminal(fd int, saved *syscall.Termios) error {
	return ioctlTermios(fd, syscall.TCSETS, saved)
}
