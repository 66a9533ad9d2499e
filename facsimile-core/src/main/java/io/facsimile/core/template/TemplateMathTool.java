package io.facsimile.core.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.BinaryOperator;

/**
 * {@code $math} in templates: the arithmetic of Velocity Tools' MathTool. Arguments are numbers or
 * strings that parse as numbers; a result is an {@code Integer} (or {@code Long}) when every argument
 * is whole and the result is whole, otherwise a {@code Double}: {@code $math.add(1, 2)} renders
 * {@code 3}, {@code $math.div(5, 2)} renders {@code 2.5}. A method returns {@code null} when an
 * argument is missing or not a number, or on a division by zero, so that strict mode reports the
 * place. MathTool's {@code random} is left out on purpose: a rendered file depends only on its inputs.
 */
public class TemplateMathTool {

    /** The sum of the arguments. */
    public Number add(Object... values) {
        return fold(values, BigDecimal::add);
    }

    /** The first argument minus the others. */
    public Number sub(Object... values) {
        return fold(values, BigDecimal::subtract);
    }

    /** The product of the arguments. */
    public Number mul(Object... values) {
        return fold(values, BigDecimal::multiply);
    }

    /** The first argument divided by the others. */
    public Number div(Object... values) {
        return fold(values, (a, b) -> b.signum() == 0 ? null : a.divide(b, MathContext.DECIMAL64));
    }

    /** The largest argument. */
    public Number max(Object... values) {
        return fold(values, BigDecimal::max);
    }

    /** The smallest argument. */
    public Number min(Object... values) {
        return fold(values, BigDecimal::min);
    }

    /** {@code base} to the power {@code exponent}. */
    public Number pow(Object base, Object exponent) {
        BigDecimal a = toBig(base);
        BigDecimal b = toBig(exponent);
        if (a == null || b == null) {
            return null;
        }
        return shape(BigDecimal.valueOf(Math.pow(a.doubleValue(), b.doubleValue())), written(a) && written(b));
    }

    /** The whole quotient: {@code $math.idiv(7, 2)} is {@code 2}. */
    public Integer idiv(Object dividend, Object divisor) {
        Integer a = toInteger(dividend);
        Integer b = toInteger(divisor);
        return a == null || b == null || b == 0 ? null : a / b;
    }

    /** The remainder: {@code $math.mod(7, 2)} is {@code 1}. */
    public Integer mod(Object dividend, Object divisor) {
        Integer a = toInteger(dividend);
        Integer b = toInteger(divisor);
        return a == null || b == null || b == 0 ? null : a % b;
    }

    /** The absolute value. */
    public Number abs(Object value) {
        BigDecimal a = toBig(value);
        return a == null ? null : shape(a.abs(), written(a));
    }

    /** Rounded up to a whole number. */
    public Integer ceil(Object value) {
        return rounded(value, RoundingMode.CEILING);
    }

    /** Rounded down to a whole number. */
    public Integer floor(Object value) {
        return rounded(value, RoundingMode.FLOOR);
    }

    /** Rounded to the nearest whole number, halves up. */
    public Integer round(Object value) {
        return rounded(value, RoundingMode.HALF_UP);
    }

    /** Rounded to {@code decimals} places, halves up: {@code $math.roundTo(2, 3.14159)} is {@code 3.14}. */
    public Double roundTo(Object decimals, Object value) {
        Integer places = toInteger(decimals);
        BigDecimal a = toBig(value);
        return places == null || a == null
                ? null
                : a.setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    /** The argument as a whole number (truncated), or {@code null}. */
    public Integer toInteger(Object value) {
        BigDecimal a = toBig(value);
        return a == null ? null : a.intValue();
    }

    /** The argument as a long (truncated), or {@code null}. */
    public Long toLong(Object value) {
        BigDecimal a = toBig(value);
        return a == null ? null : a.longValue();
    }

    /** The argument as a double, or {@code null}. */
    public Double toDouble(Object value) {
        BigDecimal a = toBig(value);
        return a == null ? null : a.doubleValue();
    }

    /** The argument as a number, or {@code null}. */
    public Number toNumber(Object value) {
        BigDecimal a = toBig(value);
        return a == null ? null : shape(a, written(a));
    }

    private static Number fold(Object[] values, BinaryOperator<BigDecimal> operation) {
        if (values == null || values.length == 0) {
            return null;
        }
        BigDecimal result = null;
        boolean whole = true;
        for (Object value : values) {
            BigDecimal next = toBig(value);
            if (next == null) {
                return null;
            }
            whole &= written(next);
            result = result == null ? next : operation.apply(result, next);
            if (result == null) {
                return null;
            }
        }
        return shape(result, whole);
    }

    private static Integer rounded(Object value, RoundingMode mode) {
        BigDecimal a = toBig(value);
        return a == null ? null : a.setScale(0, mode).intValue();
    }

    private static Number shape(BigDecimal value, boolean wholeArguments) {
        if (wholeArguments && whole(value)) {
            try {
                long exact = value.longValueExact();
                if (exact == (int) exact) {
                    return (int) exact;
                }
                return exact;
            } catch (ArithmeticException tooLarge) {
                return value.doubleValue();
            }
        }
        return value.doubleValue();
    }

    /** Whether an argument was written as a whole number: {@code 3}, not {@code 3.0}. */
    private static boolean written(BigDecimal value) {
        return value.scale() <= 0;
    }

    private static boolean whole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static BigDecimal toBig(Object value) {
        if (value instanceof BigDecimal big) {
            return big;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof CharSequence text) {
            try {
                return new BigDecimal(text.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
