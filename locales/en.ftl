# ContactClient: English. Every language's catalog has the same messages with the same
# variables (a test checks it). Message ids name the page or the thing they word.

## Every public page

site-title = Contact us
skip-link = Skip to content
site-footer = Your details are encrypted as soon as they arrive and only read by the people who answer you.
language-menu = Language

## The contact form

form-title-errors = Please check the form
form-heading = Get in touch
form-lede = Leave your details and the time that suits you best. We will call or write back.
form-alert-heading = { $count ->
    [one] Please check this field
   *[other] Please check these { $count } fields
}
form-name = Name
form-email = Email
form-phone = Phone
form-phone-hint = With the country code, e.g. +1 415 555 0132
form-preferred-time = Best time to reach you
form-preferred-time-hint = In your time zone, within the next year
form-time-zone = Your time zone
form-message = Message
form-optional = (optional)
form-message-hint = Up to 5000 characters
form-honeypot = Leave this field empty
form-send = Send
captcha-legend = Prove you are a person
captcha-image-alt = Distorted characters to type into the field below
captcha-listen = Listen instead
captcha-new-picture = New picture
captcha-answer = Characters in the picture
captcha-answer-hint = Not case-sensitive. The picture and the audio have the same answer.

## What a check found wrong with a field

field-control = Control characters are not allowed.
field-name-missing = Please enter your name.
field-name-too-long = Your name can have at most 100 characters.
field-email-missing = Please enter your email address.
field-email-too-long = An email address can have at most 254 characters.
field-email-invalid = Please enter a valid email address, like name@example.com.
field-phone-missing = Please enter your phone number.
field-phone-way-too-long = That is too long for a phone number.
field-phone-country-code = Please include the country code, like +1 415 555 0132.
field-phone-bad-country = That country code does not exist.
field-phone-too-short = That phone number is too short.
field-phone-too-long = That phone number is too long.
field-phone-invalid = That is not a valid phone number.
field-phone-not-found = This phone number does not exist. Please check it.
field-phone-unchecked = This phone number could not be checked just now. Please try again in a few minutes.
field-time-missing = Please choose a date and time.
field-time-format = Please choose a date and time (YYYY-MM-DDTHH:MM).
field-time-past = Please choose a time in the future.
field-time-too-far = Please choose a time within the next year.
field-time-gap = That time does not exist in your time zone: the clocks skip it. Please choose another.
field-time-fold = That time happens twice in your time zone: the clocks go back then. Please choose another.
field-time-other = Please choose another time.
field-zone-unknown = Please choose a time zone from the list.
field-message-too-long = The message can have at most 5000 characters.
field-captcha-missing = Please type the characters from the picture.
field-captcha-pow-failed = The automatic check did not go through (it expired or was used before). Please type the characters from the picture.
field-captcha-wrong = That did not match the picture, or it expired. Please try this new one.
field-note-empty = Write something first.
field-status-unknown = Pick one of new, contacted, closed or spam.

## What the page's script says

js-captcha-wrong = That did not match the picture. Please try again.
js-captcha-wrong-announced = The characters did not match the picture.
js-check-one = Please check one field.
js-check-many = Please check { $count } fields.
js-new-picture-in = New picture in { $seconds } s
js-new-picture-wait = Too many new pictures. You can ask for another in { $seconds } seconds.
js-new-picture-ready = There is a new picture.
js-new-picture-failed = A new picture could not be loaded. Reload the page to get one.
js-listen = Listen to the characters
js-listen-button = ▶ Listen
js-pow-working = Checking you're not a robot…
js-pow-done = Checking you're not a robot… done
js-pow-failed = The automatic check did not work. Please type the characters from the picture.

## After sending

thanks-title = Thank you
thanks-lede = Your message has arrived safely. We will get back to you at the time you picked.
thanks-again = Send another message

## Errors

error-back = Back to the form
error-title = { $status ->
    [400] Bad Request
    [401] Unauthorized
    [403] Forbidden
    [404] Not Found
    [405] Method Not Allowed
    [413] Payload Too Large
    [422] Unprocessable Entity
    [429] Too Many Requests
    [500] Internal Server Error
    [503] Service Unavailable
   *[other] Error
}
error-explain = { $status ->
    [400] The request could not be understood. Please reload the page and try again.
    [401] Please sign in first.
    [403] The form expired or was not sent from this site. Please reload the page and try again.
    [404] There is nothing at this address.
    [405] That action is not possible here.
    [413] That was too much to send at once. Please shorten your message and try again.
    [422] Some of what was sent is not valid.
    [429] Too many requests. Please wait a moment and try again.
    [500] Something went wrong on our side. Please try again later.
    [503] The service is unavailable right now. Please try again in a few minutes.
   *[other] The request could not be completed.
}
error-role = Your role does not allow this. Ask an owner if you need it.

## The admin's pages

admin-title = ContactClient admin
nav-label = Admin
nav-submissions = Submissions
nav-people = People
nav-audit = Audit log
nav-users = Users
nav-export = Export CSV
nav-sign-out = Sign out
action-save = Save
action-cancel = Cancel
action-confirm = Confirm
role-name = { $role ->
    [owner] owner
    [editor] editor
   *[viewer] viewer
}
status-name = { $status ->
    [new] new
    [contacted] contacted
    [closed] closed
   *[spam] spam
}
verdict-name = { $verdict ->
    [verified] verified
    [unverified] unverified
   *[not_checked] not checked
}
weekday = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}

login-title = Sign in
login-lede-users = Your user name, your password, and the 6-digit code from your authenticator app (or one of your recovery codes).
login-lede-shared = Enter the 6-digit code from your authenticator app.
login-user-name = User name
login-password = Password
login-code = Code
login-failed = That did not work. Check what you typed and the code from your authenticator app, and try again.

list-search-label = Search by name, email or phone
list-search-placeholder = Name, exact email, or phone digits
list-search = Search
list-clear = Clear
list-filter-label = Filter by status
list-all = All
list-caption = Submissions, newest first
list-verified = Verified with NumVerify
list-nothing-matches = Nothing matches.
list-nothing-on-page = Nothing on this page.
list-none-yet = No submissions yet.
col-received = Received
col-name = Name
col-email = Email
col-phone = Phone
col-preferred-time = Preferred time
col-status = Status
col-role = Role
col-last-sign-in = Last sign-in
col-change = Change
col-when = When
col-who = Who
col-action = Action
col-from = From
col-submissions = Submissions
pager-label = Pages
pager-newer = ← Newer
pager-older = Older →
pager-position = Page { $page } of { $pages } · { $total } in all
policy-kept-days = Kept: every submission { $days } days, spam { $spam } days, then deleted for good
policy-kept-forever = Kept: every submission until deleted, spam { $spam } days, then deleted for good

detail-back = ← All submissions
detail-no-message = No message.
detail-notes = Notes
detail-no-notes = No notes yet.
detail-add-note = Add a note
detail-add-note-button = Add note
detail-notifications = Notifications
detail-delete = Delete
detail-delete-hint = Removes this submission and its notes for good (for erasure requests).
detail-delete-button = Delete submission
notification-state = { $state ->
    [pending] pending
    [delivered] delivered
   *[failed] failed
}
notification-channel = { $channel ->
    [email] email
   *[webhook] webhook
}
notification-next-try = next try
notification-at = at
notification-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
notification-last-error = Last error:
notification-resend = Send again

audit-user-label = Only what this user did
audit-filter = Filter
audit-caption = Admin actions, newest first
audit-nothing = Nothing yet.
audit-action = { $action ->
    [sign_in] sign in
    [sign_in_failed] sign in failed
    [sign_in_unlock] sign-in unlocked
    [view] view
    [note] note
    [status] status
    [delete] delete
    [notification_resend] notification sent again
    [export] export
    [backup] backup
    [rotate_key] rotate key
    [retention_purge] retention purge
    [person_view] person view
    [person_export] person export
    [person_erase] person erase
    [user_add] user add
    [user_confirm] user confirm
    [user_reset] user reset
    [user_role] user role
    [user_remove] user remove
   *[other] { $action }
}

people-title = One person's data
people-email = Their exact email address
people-find = Find
people-erased = { $count ->
    [one] Erased { $count } submission of this address, with their notes and notifications.
   *[other] Erased { $count } submissions of this address, with their notes and notifications.
}
people-how = For an access or erasure request: find the person by the exact address they wrote from.
people-caption = { $count ->
    [one] { $count } submission from this address, newest first
   *[other] { $count } submissions from this address, newest first
}
people-download = Download all of it (JSON)
people-erase-link = Erase all of it…
people-erase-question = { $count ->
    [one] Erase { $count } submission for good?
   *[other] Erase { $count } submissions for good?
}
people-erase-warning = Their notes and notifications go with them, and they can't be brought back (backups keep them until they expire).
people-erase = Erase for good
people-nothing = Nothing is stored from this address.

users-caption = The admins, by name
users-waits = Waits for a first code from their app:
users-role-of = Role of { $name }
users-never = never
users-reset = Reset
users-reset-label = New authenticator and recovery codes for { $name }
users-remove = Remove
users-remove-label = Remove { $name }
users-none = No users yet: the shared TOTP_SECRET signs in. Once you add one, only users sign in (add yourself as an owner first).
users-add = Add a user
users-password = Their first password
users-password-rule = ({ $min } characters or more)
users-add-button = Add user
users-roles-hint = Viewers read; editors also add notes and change status; owners also delete, export, handle people, read the audit log and manage users.
users-name-rule = A user name is 1 to 64 characters: a-z, 0-9, '.', '_' and '-'.
users-role-rule = A role is owner, editor or viewer.
users-password-short = A password is { $min } characters or more.
users-password-unusable = That password can't be used. Please choose another.
users-exists = A user named { $name } exists already.
users-unknown = There is no user named { $name }.
users-last-owner = { $name } is the last owner: make another user owner first.
users-code-wrong = That code is not right: check the app's clock and try the next one.

enrol-title = Enrol { $name }
enrol-scan = { $name } scans this code with their authenticator app. It is shown only now.
enrol-qr = QR code of the authenticator link
enrol-key = Or they type this key into the app:
enrol-link = The link itself
enrol-recovery = Recovery codes
enrol-recovery-hint = Each signs in once in place of a code, when the phone is lost. { $name } keeps them somewhere safe.
enrol-code = A code from { $name }'s app
enrol-until = Until a first code is confirmed, { $name } can't sign in.

## Emails

email-hello = Hello,
email-receipt = Thank you for getting in touch. We received your request and will get back to you.
email-receipt-at = Thank you for getting in touch. We received your request and will get back to you (you asked for { $time }).
email-automatic = This is an automatic message; there is no need to answer it.
email-receipt-subject = We received your request
email-owner-subject = New contact request #{ $id }
email-owner-arrived = A new contact request arrived.
email-owner-request = Request
email-owner-phone-check = Phone check
email-owner-language = Language
email-owner-open = Open request #{ $id }
email-test-subject = ContactClient test message
email-test-body = This is a test of ContactClient's email settings. Nothing needs to be done.
