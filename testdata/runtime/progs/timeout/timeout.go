package timeout
