# ContactClient: español. Los mismos mensajes con las mismas variables que en.ftl.

## Every public page

site-title = Contacto
skip-link = Ir al contenido
site-footer = Sus datos se cifran en cuanto llegan y solo los leen las personas que le responden.
language-menu = Idioma

## The contact form

form-title-errors = Revise el formulario
form-heading = Póngase en contacto
form-lede = Deje sus datos y el momento que mejor le convenga. Le llamaremos o le escribiremos.
form-alert-heading = { $count ->
    [one] Revise este campo
   *[other] Revise estos { $count } campos
}
form-name = Nombre
form-email = Correo electrónico
form-phone = Teléfono
form-phone-hint = Con el prefijo del país, p. ej. +34 915 550 132
form-preferred-time = Mejor momento para contactarle
form-preferred-time-hint = En su zona horaria, dentro del próximo año
form-time-zone = Su zona horaria
form-message = Mensaje
form-optional = (opcional)
form-message-hint = Hasta 5000 caracteres
form-honeypot = Deje este campo vacío
form-send = Enviar
captcha-legend = Demuestre que es una persona
captcha-image-alt = Caracteres distorsionados para escribir en el campo de abajo
captcha-listen = Escuchar en su lugar (en inglés)
captcha-new-picture = Imagen nueva
captcha-answer = Caracteres de la imagen
captcha-answer-hint = No distingue mayúsculas. La imagen y el audio tienen la misma respuesta; el audio la deletrea en inglés.

## What a check found wrong with a field

field-control = No se admiten caracteres de control.
field-name-missing = Escriba su nombre.
field-name-too-long = Su nombre puede tener como máximo 100 caracteres.
field-email-missing = Escriba su dirección de correo electrónico.
field-email-too-long = Una dirección de correo puede tener como máximo 254 caracteres.
field-email-invalid = Escriba una dirección de correo válida, como nombre@example.com.
field-phone-missing = Escriba su número de teléfono.
field-phone-way-too-long = Es demasiado largo para un número de teléfono.
field-phone-country-code = Incluya el prefijo del país, como +34 915 550 132.
field-phone-bad-country = Ese prefijo de país no existe.
field-phone-too-short = Ese número de teléfono es demasiado corto.
field-phone-too-long = Ese número de teléfono es demasiado largo.
field-phone-invalid = Ese no es un número de teléfono válido.
field-phone-not-found = Ese número de teléfono no existe. Compruébelo.
field-phone-unchecked = Ahora mismo no se puede comprobar ese número de teléfono. Inténtelo de nuevo en unos minutos.
field-time-missing = Elija una fecha y una hora.
field-time-format = Elija una fecha y una hora, como 2026-07-14T14:00.
field-time-past = Elija un momento futuro.
field-time-too-far = Elija un momento dentro del próximo año.
field-time-gap = Esa hora no existe en su zona horaria: los relojes se la saltan. Elija otra.
field-time-fold = Esa hora ocurre dos veces en su zona horaria: los relojes se atrasan entonces. Elija otra.
field-time-other = Elija otro momento.
field-zone-unknown = Elija una zona horaria de la lista.
field-message-too-long = El mensaje puede tener como máximo 5000 caracteres.
field-captcha-missing = Escriba los caracteres de la imagen.
field-captcha-pow-failed = La comprobación automática no se completó (caducó o ya se había usado). Escriba los caracteres de la imagen.
field-captcha-wrong = No coincide con la imagen, o caducó. Pruebe con esta nueva.
field-note-empty = Escriba algo primero.
field-status-unknown = Elija nuevo, contactado, cerrado o spam.

## What the page's script says

js-captcha-wrong = No coincide con la imagen. Inténtelo de nuevo.
js-captcha-wrong-announced = Los caracteres no coinciden con la imagen.
js-check-one = Revise un campo.
js-check-many = Revise { $count } campos.
js-new-picture-in = Imagen nueva en { $seconds } s
js-new-picture-wait = Demasiadas imágenes nuevas. Podrá pedir otra dentro de { $seconds } segundos.
js-new-picture-ready = Hay una imagen nueva.
js-new-picture-failed = No se pudo cargar una imagen nueva. Recargue la página para obtener una.
js-listen = Escuchar los caracteres (en inglés)
js-listen-button = ▶ Escuchar (inglés)
js-pow-working = Comprobando que no es un robot…
js-pow-done = Comprobando que no es un robot… hecho
js-pow-failed = La comprobación automática no funcionó. Escriba los caracteres de la imagen.

## After sending

thanks-title = Gracias
thanks-lede = Su mensaje ha llegado bien. Nos pondremos en contacto con usted en el momento que eligió.
thanks-again = Enviar otro mensaje

## Errors

error-back = Volver al formulario
error-title = { $status ->
    [400] Solicitud incorrecta
    [401] Sin sesión
    [403] Prohibido
    [404] No encontrado
    [405] Método no permitido
    [413] Demasiado grande
    [422] No se puede procesar
    [429] Demasiadas solicitudes
    [500] Error interno
    [503] Servicio no disponible
   *[other] Error
}
error-explain = { $status ->
    [400] No se entendió la solicitud. Recargue la página e inténtelo de nuevo.
    [401] Inicie sesión primero.
    [403] El formulario caducó o no se envió desde este sitio. Recargue la página e inténtelo de nuevo.
    [404] No hay nada en esta dirección.
    [405] Esa acción no es posible aquí.
    [413] Era demasiado para enviar de una vez. Acorte su mensaje e inténtelo de nuevo.
    [422] Parte de lo enviado no es válido.
    [429] Demasiadas solicitudes. Espere un momento e inténtelo de nuevo.
    [500] Algo salió mal por nuestra parte. Inténtelo de nuevo más tarde.
    [503] El servicio no está disponible ahora mismo. Inténtelo de nuevo en unos minutos.
   *[other] No se pudo completar la solicitud.
}
error-role = Su rol no lo permite. Pida a un propietario si lo necesita.

## The admin's pages

admin-title = Administración de ContactClient
nav-label = Administración
nav-submissions = Solicitudes
nav-people = Personas
nav-audit = Registro
nav-users = Usuarios
nav-export = Exportar CSV
nav-sign-out = Cerrar sesión
action-save = Guardar
action-cancel = Cancelar
action-confirm = Confirmar
role-name = { $role ->
    [owner] propietario
    [editor] editor
   *[viewer] lector
}
status-name = { $status ->
    [new] nueva
    [contacted] contactada
    [closed] cerrada
   *[spam] spam
}
verdict-name = { $verdict ->
    [verified] verificado
    [unverified] sin verificar
   *[not_checked] no comprobado
}
weekday = { $day ->
    [1] lun
    [2] mar
    [3] mié
    [4] jue
    [5] vie
    [6] sáb
   *[7] dom
}

login-title = Iniciar sesión
login-lede-users = Su nombre de usuario, su contraseña y el código de 6 dígitos de su aplicación de autenticación (o uno de sus códigos de recuperación).
login-lede-shared = Escriba el código de 6 dígitos de su aplicación de autenticación.
login-user-name = Nombre de usuario
login-password = Contraseña
login-code = Código
login-failed = No ha funcionado. Revise lo que escribió y el código de su aplicación de autenticación, e inténtelo de nuevo.

list-search-label = Buscar por nombre, correo o teléfono
list-search-placeholder = Nombre, correo exacto o dígitos del teléfono
list-search = Buscar
list-clear = Borrar
list-filter-label = Filtrar por estado
list-all = Todas
list-caption = Solicitudes, las más recientes primero
list-verified = Verificado con NumVerify
list-nothing-matches = No hay coincidencias.
list-nothing-on-page = No hay nada en esta página.
list-none-yet = Todavía no hay solicitudes.
col-received = Recibida
col-name = Nombre
col-email = Correo
col-phone = Teléfono
col-preferred-time = Momento preferido
col-status = Estado
col-role = Rol
col-last-sign-in = Último acceso
col-change = Cambiar
col-when = Cuándo
col-who = Quién
col-action = Acción
col-from = Desde
col-submissions = Solicitudes
pager-label = Páginas
pager-newer = ← Más recientes
pager-older = Más antiguas →
pager-position = Página { $page } de { $pages } · { $total } en total
policy-kept-days = Se conserva: cada solicitud { $days } días, el spam { $spam } días; después se borra para siempre
policy-kept-forever = Se conserva: cada solicitud hasta que se borre, el spam { $spam } días; después se borra para siempre

detail-back = ← Todas las solicitudes
detail-no-message = Sin mensaje.
detail-notes = Notas
detail-no-notes = Todavía no hay notas.
detail-add-note = Añadir una nota
detail-add-note-button = Guardar nota
detail-notifications = Notificaciones
detail-delete = Borrar
detail-delete-hint = Elimina para siempre esta solicitud y sus notas (para solicitudes de supresión).
detail-delete-button = Borrar solicitud
notification-state = { $state ->
    [pending] pendiente
    [delivered] entregada
   *[failed] fallida
}
notification-channel = { $channel ->
    [email] correo
   *[webhook] webhook
}
notification-next-try = próximo intento
notification-at = el
notification-attempts = { $count ->
    [one] { $count } intento
   *[other] { $count } intentos
}
notification-last-error = Último error:
notification-resend = Enviar de nuevo

audit-user-label = Solo lo que hizo este usuario
audit-filter = Filtrar
audit-caption = Acciones de administración, las más recientes primero
audit-nothing = Nada todavía.
audit-action = { $action ->
    [sign_in] inicio de sesión
    [sign_in_failed] inicio de sesión fallido
    [sign_in_unlock] inicio de sesión desbloqueado
    [view] consulta
    [note] nota
    [status] estado
    [delete] borrado
    [notification_resend] notificación reenviada
    [export] exportación
    [backup] copia de seguridad
    [rotate_key] cambio de clave
    [retention_purge] purga por conservación
    [person_view] persona consultada
    [person_export] persona exportada
    [person_erase] persona borrada
    [user_add] usuario añadido
    [user_confirm] usuario confirmado
    [user_reset] usuario restablecido
    [user_role] rol cambiado
    [user_remove] usuario eliminado
   *[other] { $action }
}

people-title = Los datos de una persona
people-email = Su dirección de correo exacta
people-find = Buscar
people-erased = { $count ->
    [one] Borrada { $count } solicitud de esta dirección, con sus notas y notificaciones.
   *[other] Borradas { $count } solicitudes de esta dirección, con sus notas y notificaciones.
}
people-how = Para una solicitud de acceso o supresión: busque a la persona por la dirección exacta desde la que escribió.
people-caption = { $count ->
    [one] { $count } solicitud de esta dirección, la más reciente primero
   *[other] { $count } solicitudes de esta dirección, las más recientes primero
}
people-download = Descargarlo todo (JSON)
people-erase-link = Borrarlo todo…
people-erase-question = { $count ->
    [one] ¿Borrar { $count } solicitud para siempre?
   *[other] ¿Borrar { $count } solicitudes para siempre?
}
people-erase-warning = Sus notas y notificaciones se van con ellas y no se pueden recuperar (las copias de seguridad las guardan hasta que caducan).
people-erase = Borrar para siempre
people-nothing = No hay nada guardado de esta dirección.

users-caption = Los administradores, por nombre
users-waits = Espera un primer código de su aplicación:
users-role-of = Rol de { $name }
users-never = nunca
users-reset = Restablecer
users-reset-label = Nuevo autenticador y nuevos códigos de recuperación para { $name }
users-remove = Eliminar
users-remove-label = Eliminar a { $name }
users-none = Todavía no hay usuarios: inicia sesión el TOTP_SECRET compartido. En cuanto añada uno, solo inician sesión los usuarios (añádase primero como propietario).
users-add = Añadir un usuario
users-password = Su primera contraseña
users-password-rule = ({ $min } caracteres o más)
users-add-button = Añadir
users-roles-hint = Los lectores leen; los editores además añaden notas y cambian el estado; los propietarios además borran, exportan, atienden a las personas, leen el registro y gestionan los usuarios.
users-name-rule = Un nombre de usuario tiene de 1 a 64 caracteres: a-z, 0-9, '.', '_' y '-'.
users-role-rule = Un rol es owner, editor o viewer.
users-password-short = Una contraseña tiene { $min } caracteres o más.
users-password-unusable = Esa contraseña no se puede usar. Elija otra.
users-exists = Ya existe un usuario llamado { $name }.
users-unknown = No hay ningún usuario llamado { $name }.
users-last-owner = { $name } es el último propietario: haga primero propietario a otro usuario.
users-code-wrong = Ese código no es correcto: revise el reloj de la aplicación y pruebe con el siguiente.

enrol-title = Dar de alta a { $name }
enrol-scan = { $name } escanea este código con su aplicación de autenticación. Solo se muestra ahora.
enrol-qr = Código QR del enlace de autenticación
enrol-key = O escribe esta clave en la aplicación:
enrol-link = El enlace en sí
enrol-recovery = Códigos de recuperación
enrol-recovery-hint = Cada uno inicia sesión una vez en lugar de un código, si se pierde el teléfono. { $name } los guarda en un lugar seguro.
enrol-code = Un código de la aplicación de { $name }
enrol-until = Hasta que se confirme un primer código, { $name } no puede iniciar sesión.

## Emails

email-hello = Hola:
email-receipt = Gracias por escribirnos. Hemos recibido su solicitud y nos pondremos en contacto con usted.
email-receipt-at = Gracias por escribirnos. Hemos recibido su solicitud y nos pondremos en contacto con usted (pidió { $time }).
email-automatic = Este es un mensaje automático; no hace falta responderlo.
email-receipt-subject = Hemos recibido su solicitud
email-owner-subject = Nueva solicitud de contacto n.º { $id }
email-owner-arrived = Ha llegado una nueva solicitud de contacto.
email-owner-request = Solicitud
email-owner-phone-check = Comprobación del teléfono
email-owner-language = Idioma
email-owner-open = Abrir la solicitud n.º { $id }
email-test-subject = Mensaje de prueba de ContactClient
email-test-body = Esta es una prueba de la configuración de correo de ContactClient. No hace falta hacer nada.
