"""
Optional two-factor authentication for the Wagtail admin: a TOTP code from an authenticator app.

An editor turns it on from Account → More actions → Two-factor authentication (`views`): the page
shows a QR code and the secret, and the first valid code confirms the device. From then on, after the
password, `middleware.TwoFactorMiddleware` asks for a code before any admin page, and outside the
admin a session still waiting for its code counts as signed out. `WAGTAIL_2FA_REQUIRED` makes it
compulsory for everyone with admin access. Wrong codes are throttled per device by django-otp
(1, 2, 4, 8… seconds). An editor who lost their phone is helped with `manage.py disable_two_factor`.
"""
