#!/usr/bin/env python3
"""Write a synthetic action plan in the seed's tab-separated layout.

Usage: gen-plan.py N_ACTIVITIES N_OFFICES > plan.txt
Deterministic (fixed seed), Spanish text of realistic length, several
offices per RESPONSABLE cell with the separators real plans use, dates in
the seed's day-monthname-year form, an empty component cell continuing
the one above.
"""
import random
import sys

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
WORDS = ("participación ciudadana rendición de cuentas estrategia grupos de valor "
         "veedurías control social espacios instancias publicación canales información "
         "entidad gestión pública diagnóstico caracterización evaluación mejora").split()
KINDS = ["Secretaría", "Oficina", "Dirección", "Escuela", "Gerencia", "Unidad"]
NUMBERS = ["Un (1)", "Una (1)", "Dos (2)", "Tres (3)", "Cuatro (4)", "Cinco (5)", "Seis (6)"]


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def main():
    n = int(sys.argv[1])
    n_offices = int(sys.argv[2])
    rng = random.Random(2021)
    offices = ["%s de %s %d" % (rng.choice(KINDS), text(rng, 2).lower(), i)
               for i in range(n_offices)]
    out = sys.stdout
    out.write("ALCALDÍA DE PRUEBA DE CARGA\n\n")
    out.write("MACROPROCESO : GESTIÓN ADMINISTRATIVA /PROCESO:CALIDAD / SUBPROCESO: MODELOS\n\n")
    out.write("ESTRATEGIA DE PARTICIPACIÓN CIUDADANA DE PRUEBA\n\n")
    head = ["ITEM", "DESCRIPCIÓN DE LOS CRITERIOS DIFERENCIALES QUE LE APLICAN",
            "CICLO DE PROCESO P: Planear H: Hacer V: Verificar A: Actuar", "ACTIVIDAD",
            "PRODUCTO", "DESCRIPCIÓN DEL INDICADOR", "DESCRIPCIÓN DE LA META", "FECHA INICIO",
            "FECHA FINAL", "RESPONSABLE", "META DEL INDICADOR", "2021", "", "", "", ""]
    out.write("\t".join(head) + "\n")
    out.write("\t" * 11 + "META TRIMESTRE 1\tMETA TRIMESTRE 2\tMETA TRIMESTRE 3\t"
              "META TRIMESTRE 4\tRESULTADO\n")
    for i in range(1, n + 1):
        component = text(rng, 8) if i % 50 == 1 else ""
        phase = rng.choice(["P:", "H:", "H:", "H:", "V:", "A:"])
        m1 = rng.randint(1, 11)
        m2 = rng.randint(m1, 12)
        start = "%d-%s-2021" % (rng.randint(1, 28), MONTHS[m1 - 1])
        end = "%d-%s-2021" % (DAYS[m2 - 1], MONTHS[m2 - 1])
        sep = rng.choice([" - ", "/", "; "])
        resp = sep.join(rng.sample(offices, rng.randint(1, 3)))
        row = [str(i), component, phase, text(rng, 14), text(rng, 10),
               "%s %s" % (rng.choice(NUMBERS), text(rng, 8).lower()), text(rng, 10), start, end,
               resp, text(rng, 6), "", "", "", "", ""]
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
