/* participa — citizen participation strategy tracker. License: AGPL-3.0-or-later.
**
** Accounts' declaration for the shell (app/module.h): the `user` commands,
** signing in and out, the password page, the panel, clearing failed logins,
** the panel's menu entry and the notices.
** Routes: method, path, handler, flags, capabilities (any one of the
** letters of auth.h CAP_*; NULL = public), body limit (0 = the server's).
*/
#include "app/module.h"
#include "auth/auth_web.h"
#include "auth/user_cmd.h"

static const Command aUser[] = {
    {"add", user_add_cmd, CMD_NEWDB, NULL, 0,
     "user add USUARIO --role ROL [--office DEPENDENCIA]... [--name \"NOMBRE COMPLETO\"] "
     "[--password-stdin]",
     "crea una cuenta de usuario",
     "ROL es administrador, planeacion, responsable o control-interno. Un responsable\n"
     "necesita al menos una dependencia (--office, repetible), escrita como en el catálogo o\n"
     "con uno de sus alias. Sin --password-stdin se genera una contraseña inicial que se\n"
     "muestra una sola vez y que el usuario debe cambiar al entrar; con --password-stdin se\n"
     "lee de la primera línea de la entrada estándar (al menos 10 caracteres). El nombre de\n"
     "usuario lleva de 2 a 40 letras sin tildes, dígitos, «.», «_» o «-»."},
    {"disable", user_disable_cmd, CMD_DB, NULL, 0, "user disable USUARIO [--enable]",
     "deshabilita (o habilita) una cuenta",
     "Una cuenta deshabilitada no puede entrar y sus sesiones abiertas terminan. No se puede\n"
     "deshabilitar al único administrador habilitado. Con --enable la cuenta vuelve a entrar."},
    {"list", user_list_cmd, CMD_DB, NULL, 0, "user list", "lista las cuentas de usuario",
     "Muestra cada cuenta con su nombre, rol, estado, último ingreso y dependencias."},
    {"passwd", user_passwd_cmd, CMD_DB, NULL, 0, "user passwd USUARIO [--password-stdin]",
     "restablece la contraseña de una cuenta",
     "Sin --password-stdin genera una contraseña nueva, la muestra una sola vez y pide al\n"
     "usuario cambiarla al entrar; con --password-stdin la lee de la primera línea de la\n"
     "entrada estándar. Las sesiones abiertas de la cuenta terminan."},
    {"role", user_role_cmd, CMD_DB, NULL, 0,
     "user role USUARIO --role ROL [--office DEPENDENCIA]...",
     "cambia el rol y las dependencias de una cuenta",
     "Reemplaza el rol y, para un responsable, sus dependencias (--office, repetible). El\n"
     "único administrador habilitado no puede dejar de serlo."},
    {"unlock", user_unlock_cmd, CMD_DB, NULL, 0, "user unlock USUARIO",
     "borra los intentos fallidos de ingreso de una cuenta",
     "Tras varios intentos fallidos, cada nuevo intento de una cuenta desde una dirección\n"
     "debe esperar (1 s, 2 s, 4 s… hasta 5 minutos). Este comando borra esos intentos para\n"
     "que la cuenta pueda intentarlo de nuevo sin esperar; queda en el registro de auditoría."},
};

static const Command aCmd[] = {
    {"user", NULL, CMD_DB, MODULE_ARRAY(aUser), "user add|disable|list|passwd|role|unlock …",
     "cuentas de usuario", "Subcomandos: add, disable, list, passwd, role, unlock."},
};

static const Route aRoute[] = {
    {"GET", "/entrar", page_login, 0, NULL, 0},
    {"POST", "/entrar", post_login, ROUTE_CSRF, NULL, 0},
    {"POST", "/salir", post_logout, ROUTE_CSRF, "u", 0},
    {"GET", "/cuenta/clave", page_password, 0, "u", 0},
    {"POST", "/cuenta/clave", post_password, ROUTE_CSRF, "u", 0},
    {"GET", "/panel", page_panel, 0, "u", 0},
    {"POST", "/admin/intentos", post_login_unlock, ROUTE_CSRF, "a", 0},
};

static const ModuleNav aNav[] = {
    {60, NAV_PANEL, "Mi panel", "u"},
};

static const ModuleNotice aNotice[] = {
    {"clave-cambiada", "Contraseña cambiada."},
    {"intentos-borrados",
     "Intentos fallidos borrados: la cuenta puede volver a intentarlo sin esperar."},
    {"sesion-cerrada", "Sesión cerrada."},
};

/* The declaration src/tables/modules.c lists. */
const Module auth_module = {
    "auth",
    MODULE_ARRAY(aRoute),
    MODULE_ARRAY(aCmd),
    MODULE_ARRAY(aNav),
    NULL, 0,
    MODULE_ARRAY(aNotice),
    NULL, 0,
};
