# ContactClient : français. Les mêmes messages avec les mêmes variables que en.ftl.

## Every public page

site-title = Nous contacter
skip-link = Aller au contenu
site-footer = Vos coordonnées sont chiffrées dès leur arrivée et lues seulement par les personnes qui vous répondent.
language-menu = Langue

## The contact form

form-title-errors = Veuillez vérifier le formulaire
form-heading = Prenons contact
form-lede = Laissez vos coordonnées et le moment qui vous convient le mieux. Nous vous appellerons ou vous écrirons.
form-alert-heading = { $count ->
    [one] Veuillez vérifier ce champ
   *[other] Veuillez vérifier ces { $count } champs
}
form-name = Nom
form-email = Adresse e-mail
form-phone = Téléphone
form-phone-hint = Avec l’indicatif du pays, par ex. +33 1 42 68 53 00
form-preferred-time = Meilleur moment pour vous joindre
form-preferred-time-hint = Dans votre fuseau horaire, d’ici un an
form-time-zone = Votre fuseau horaire
form-message = Message
form-optional = (facultatif)
form-message-hint = Jusqu’à 5000 caractères
form-honeypot = Laissez ce champ vide
form-send = Envoyer
captcha-legend = Prouvez que vous êtes une personne
captcha-image-alt = Caractères déformés à saisir dans le champ ci-dessous
captcha-listen = Écouter plutôt (en anglais)
captcha-new-picture = Nouvelle image
captcha-answer = Caractères de l’image
captcha-answer-hint = Majuscules ou minuscules, peu importe. L’image et l’audio ont la même réponse ; l’audio l’épelle en anglais.

## What a check found wrong with a field

field-control = Les caractères de contrôle ne sont pas acceptés.
field-name-missing = Veuillez saisir votre nom.
field-name-too-long = Votre nom peut compter au plus 100 caractères.
field-email-missing = Veuillez saisir votre adresse e-mail.
field-email-too-long = Une adresse e-mail peut compter au plus 254 caractères.
field-email-invalid = Veuillez saisir une adresse e-mail valide, comme nom@example.com.
field-phone-missing = Veuillez saisir votre numéro de téléphone.
field-phone-way-too-long = C’est trop long pour un numéro de téléphone.
field-phone-country-code = Veuillez indiquer l’indicatif du pays, comme +33 1 42 68 53 00.
field-phone-bad-country = Cet indicatif de pays n’existe pas.
field-phone-too-short = Ce numéro de téléphone est trop court.
field-phone-too-long = Ce numéro de téléphone est trop long.
field-phone-invalid = Ce n’est pas un numéro de téléphone valide.
field-phone-not-found = Ce numéro de téléphone n’existe pas. Veuillez le vérifier.
field-phone-unchecked = Ce numéro de téléphone ne peut pas être vérifié pour le moment. Veuillez réessayer dans quelques minutes.
field-time-missing = Veuillez choisir une date et une heure.
field-time-format = Veuillez choisir une date et une heure, comme 2026-07-14T14:00.
field-time-past = Veuillez choisir un moment à venir.
field-time-too-far = Veuillez choisir un moment d’ici un an.
field-time-gap = Cette heure n’existe pas dans votre fuseau horaire : les horloges la sautent. Veuillez en choisir une autre.
field-time-fold = Cette heure existe deux fois dans votre fuseau horaire : les horloges reculent alors. Veuillez en choisir une autre.
field-time-other = Veuillez choisir un autre moment.
field-zone-unknown = Veuillez choisir un fuseau horaire dans la liste.
field-message-too-long = Le message peut compter au plus 5000 caractères.
field-captcha-missing = Veuillez saisir les caractères de l’image.
field-captcha-pow-failed = La vérification automatique n’a pas abouti (elle avait expiré ou déjà servi). Veuillez saisir les caractères de l’image.
field-captcha-wrong = Cela ne correspond pas à l’image, ou elle a expiré. Veuillez essayer avec cette nouvelle image.
field-note-empty = Écrivez d’abord quelque chose.
field-status-unknown = Choisissez nouveau, contacté, clos ou spam.

## What the page's script says

js-captcha-wrong = Cela ne correspond pas à l’image. Veuillez réessayer.
js-captcha-wrong-announced = Les caractères ne correspondent pas à l’image.
js-check-one = Veuillez vérifier un champ.
js-check-many = Veuillez vérifier { $count } champs.
js-new-picture-in = Nouvelle image dans { $seconds } s
js-new-picture-wait = Trop de nouvelles images. Vous pourrez en demander une autre dans { $seconds } secondes.
js-new-picture-ready = Une nouvelle image est affichée.
js-new-picture-failed = Impossible de charger une nouvelle image. Rechargez la page pour en obtenir une.
js-listen = Écouter les caractères (en anglais)
js-listen-button = ▶ Écouter (anglais)
js-pow-working = Nous vérifions que vous n’êtes pas un robot…
js-pow-done = Nous vérifions que vous n’êtes pas un robot… terminé
js-pow-failed = La vérification automatique n’a pas fonctionné. Veuillez saisir les caractères de l’image.

## After sending

thanks-title = Merci
thanks-lede = Votre message est bien arrivé. Nous reviendrons vers vous au moment que vous avez choisi.
thanks-again = Envoyer un autre message

## Errors

error-back = Retour au formulaire
error-title = { $status ->
    [400] Requête incorrecte
    [401] Non connecté
    [403] Interdit
    [404] Introuvable
    [405] Méthode non autorisée
    [413] Trop volumineux
    [422] Requête non traitable
    [429] Trop de requêtes
    [500] Erreur interne
    [503] Service indisponible
   *[other] Erreur
}
error-explain = { $status ->
    [400] La requête n’a pas été comprise. Veuillez recharger la page et réessayer.
    [401] Veuillez d’abord vous connecter.
    [403] Le formulaire a expiré ou n’a pas été envoyé depuis ce site. Veuillez recharger la page et réessayer.
    [404] Il n’y a rien à cette adresse.
    [405] Cette action n’est pas possible ici.
    [413] C’était trop à envoyer d’un coup. Veuillez raccourcir votre message et réessayer.
    [422] Une partie de ce qui a été envoyé n’est pas valide.
    [429] Trop de requêtes. Veuillez patienter un instant et réessayer.
    [500] Un problème est survenu de notre côté. Veuillez réessayer plus tard.
    [503] Le service est indisponible pour le moment. Veuillez réessayer dans quelques minutes.
   *[other] La requête n’a pas pu aboutir.
}
error-role = Votre rôle ne le permet pas. Demandez à un propriétaire si vous en avez besoin.

## The admin's pages

admin-title = Administration ContactClient
nav-label = Administration
nav-submissions = Demandes
nav-people = Personnes
nav-audit = Journal
nav-users = Utilisateurs
nav-export = Exporter en CSV
nav-sign-out = Se déconnecter
action-save = Enregistrer
action-cancel = Annuler
action-confirm = Confirmer
role-name = { $role ->
    [owner] propriétaire
    [editor] éditeur
   *[viewer] lecteur
}
status-name = { $status ->
    [new] nouveau
    [contacted] contacté
    [closed] clos
   *[spam] spam
}
verdict-name = { $verdict ->
    [verified] vérifié
    [unverified] non vérifié
   *[not_checked] pas vérifié
}
weekday = { $day ->
    [1] lun.
    [2] mar.
    [3] mer.
    [4] jeu.
    [5] ven.
    [6] sam.
   *[7] dim.
}

login-title = Se connecter
login-lede-users = Votre nom d’utilisateur, votre mot de passe et le code à 6 chiffres de votre application d’authentification (ou l’un de vos codes de secours).
login-lede-shared = Saisissez le code à 6 chiffres de votre application d’authentification.
login-user-name = Nom d’utilisateur
login-password = Mot de passe
login-code = Code
login-failed = Cela n’a pas fonctionné. Vérifiez ce que vous avez saisi et le code de votre application d’authentification, puis réessayez.

list-search-label = Rechercher par nom, e-mail ou téléphone
list-search-placeholder = Nom, e-mail exact ou chiffres du numéro
list-search = Rechercher
list-clear = Effacer
list-filter-label = Filtrer par statut
list-all = Toutes
list-caption = Demandes, les plus récentes d’abord
list-verified = Vérifié avec NumVerify
list-nothing-matches = Aucun résultat.
list-nothing-on-page = Rien sur cette page.
list-none-yet = Aucune demande pour l’instant.
col-received = Reçue
col-name = Nom
col-email = E-mail
col-phone = Téléphone
col-preferred-time = Moment souhaité
col-status = Statut
col-role = Rôle
col-last-sign-in = Dernière connexion
col-change = Modifier
col-when = Quand
col-who = Qui
col-action = Action
col-from = Depuis
col-submissions = Demandes
pager-label = Pages
pager-newer = ← Plus récentes
pager-older = Plus anciennes →
pager-position = Page { $page } sur { $pages } · { $total } en tout
policy-kept-days = Conservation : chaque demande { $days } jours, le spam { $spam } jours, puis suppression définitive
policy-kept-forever = Conservation : chaque demande jusqu’à sa suppression, le spam { $spam } jours, puis suppression définitive

detail-back = ← Toutes les demandes
detail-no-message = Pas de message.
detail-notes = Notes
detail-no-notes = Pas encore de notes.
detail-add-note = Ajouter une note
detail-add-note-button = Enregistrer la note
detail-notifications = Notifications
detail-delete = Supprimer
detail-delete-hint = Supprime définitivement cette demande et ses notes (pour les demandes d’effacement).
detail-delete-button = Supprimer la demande
notification-state = { $state ->
    [pending] en attente
    [delivered] remise
   *[failed] échouée
}
notification-channel = { $channel ->
    [email] e-mail
   *[webhook] webhook
}
notification-next-try = prochain essai
notification-at = le
notification-attempts = { $count ->
    [one] { $count } tentative
   *[other] { $count } tentatives
}
notification-last-error = Dernière erreur :
notification-resend = Renvoyer

audit-user-label = Seulement ce qu’a fait cet utilisateur
audit-filter = Filtrer
audit-caption = Actions d’administration, les plus récentes d’abord
audit-nothing = Rien pour l’instant.
audit-action = { $action ->
    [sign_in] connexion
    [sign_in_failed] connexion échouée
    [sign_in_unlock] connexion débloquée
    [view] consultation
    [note] note
    [status] statut
    [delete] suppression
    [notification_resend] notification renvoyée
    [export] export
    [backup] sauvegarde
    [rotate_key] changement de clé
    [retention_purge] purge de conservation
    [person_view] personne consultée
    [person_export] personne exportée
    [person_erase] personne effacée
    [user_add] utilisateur ajouté
    [user_confirm] utilisateur confirmé
    [user_reset] utilisateur réinitialisé
    [user_role] rôle modifié
    [user_remove] utilisateur retiré
   *[other] { $action }
}

people-title = Les données d’une personne
people-email = Son adresse e-mail exacte
people-find = Trouver
people-erased = { $count ->
    [one] { $count } demande de cette adresse effacée, avec ses notes et notifications.
   *[other] { $count } demandes de cette adresse effacées, avec leurs notes et notifications.
}
people-how = Pour une demande d’accès ou d’effacement : trouvez la personne par l’adresse exacte depuis laquelle elle a écrit.
people-caption = { $count ->
    [one] { $count } demande de cette adresse, la plus récente d’abord
   *[other] { $count } demandes de cette adresse, les plus récentes d’abord
}
people-download = Tout télécharger (JSON)
people-erase-link = Tout effacer…
people-erase-question = { $count ->
    [one] Effacer { $count } demande définitivement ?
   *[other] Effacer { $count } demandes définitivement ?
}
people-erase-warning = Leurs notes et notifications partent avec elles et ne peuvent pas être récupérées (les sauvegardes les gardent jusqu’à leur expiration).
people-erase = Effacer définitivement
people-nothing = Rien n’est enregistré pour cette adresse.

users-caption = Les administrateurs, par nom
users-waits = Attend un premier code de son application :
users-role-of = Rôle de { $name }
users-never = jamais
users-reset = Réinitialiser
users-reset-label = Nouvel authentificateur et nouveaux codes de secours pour { $name }
users-remove = Retirer
users-remove-label = Retirer { $name }
users-none = Pas encore d’utilisateurs : le TOTP_SECRET partagé connecte. Dès que vous en ajoutez un, seuls les utilisateurs se connectent (ajoutez-vous d’abord comme propriétaire).
users-add = Ajouter un utilisateur
users-password = Son premier mot de passe
users-password-rule = ({ $min } caractères ou plus)
users-add-button = Ajouter
users-roles-hint = Les lecteurs lisent ; les éditeurs ajoutent aussi des notes et changent le statut ; les propriétaires suppriment aussi, exportent, traitent les demandes des personnes, lisent le journal et gèrent les utilisateurs.
users-name-rule = Un nom d’utilisateur compte de 1 à 64 caractères : a-z, 0-9, '.', '_' et '-'.
users-role-rule = Un rôle est owner, editor ou viewer.
users-password-short = Un mot de passe compte { $min } caractères ou plus.
users-password-unusable = Ce mot de passe ne peut pas être utilisé. Veuillez en choisir un autre.
users-exists = Un utilisateur nommé { $name } existe déjà.
users-unknown = Il n’y a pas d’utilisateur nommé { $name }.
users-last-owner = { $name } est le dernier propriétaire : faites d’abord d’un autre utilisateur un propriétaire.
users-code-wrong = Ce code n’est pas le bon : vérifiez l’horloge de l’application et essayez le suivant.

enrol-title = Inscrire { $name }
enrol-scan = { $name } scanne ce code avec son application d’authentification. Il n’est affiché que maintenant.
enrol-qr = Code QR du lien d’authentification
enrol-key = Ou saisir cette clé dans l’application :
enrol-link = Le lien lui-même
enrol-recovery = Codes de secours
enrol-recovery-hint = Chacun connecte une fois à la place d’un code, si le téléphone est perdu. { $name } les garde en lieu sûr.
enrol-code = Un code de l’application de { $name }
enrol-until = Tant qu’un premier code n’est pas confirmé, { $name } ne peut pas se connecter.

## Emails

email-hello = Bonjour,
email-receipt = Merci de nous avoir écrit. Nous avons bien reçu votre demande et reviendrons vers vous.
email-receipt-at = Merci de nous avoir écrit. Nous avons bien reçu votre demande et reviendrons vers vous (vous avez demandé { $time }).
email-automatic = Ce message est automatique ; inutile d’y répondre.
email-receipt-subject = Nous avons reçu votre demande
email-owner-subject = Nouvelle demande de contact n° { $id }
email-owner-arrived = Une nouvelle demande de contact est arrivée.
email-owner-request = Demande
email-owner-phone-check = Vérification du téléphone
email-owner-language = Langue
email-owner-open = Ouvrir la demande n° { $id }
email-test-subject = Message de test de ContactClient
email-test-body = Ceci est un test des réglages e-mail de ContactClient. Il n’y a rien à faire.
